"""What the programme holds about a person, for soske.privacy: the sparring notes may name
them (the attendance goes through the team membership, which cohorts erases)."""

from soske.privacy.services import replace_in_rows, replacement_pairs

from .models import SparringBooking


def erase(*, user, pseudonym, email, names) -> int:
    pairs = replacement_pairs(email=email, names=names, pseudonym=pseudonym)
    return replace_in_rows(SparringBooking.objects.all(), ["notes", "next_steps"], pairs)

"""The `date` filter every template has, through soske.dates.format_date (issue 13).

Listed in TEMPLATES' builtins after Django's own, so `{{ value|date:"SHORT_DATE_FORMAT" }}`
resolves here: the same text as Django's filter, without parsing the format for each value.
Anything that is not a date or a datetime goes to Django's filter unchanged.
"""

import datetime

from django import template
from django.template import defaultfilters

from soske.dates import named_format

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    if isinstance(value, datetime.date):
        return named_format(value, arg or "DATE_FORMAT")
    return defaultfilters.date(value, arg)

"""Swedish alphabetical order for names of places."""

# Å, Ä and Ö come after Z, in that order (code points would put Ä before Å): the three characters just after
# "z" in ASCII keep that order in a plain string sort. é sorts as e, ü as y, and the Danish/Norwegian æ and ø
# as ä and ö, as Swedish dictionaries do.
_SWEDISH_ORDER = str.maketrans({"å": "{", "ä": "|", "ö": "}", "æ": "|", "ø": "}", "é": "e", "ü": "y"})


def swedish_sort_key(name: str) -> str:
    return name.casefold().translate(_SWEDISH_ORDER)

"""How a Dutch letter writes an address: as PostNL asks for it."""

from .postcode import normalise_postcode


def postal_code(value: str) -> str:
    """1621AB → 1621 AB (common.postcode, the forms' and the DUO import's normaliser); a value
    that is no Dutch postcode is written as it was given, in capitals."""
    return normalise_postcode(value) or (value or "").strip().upper()


def address_lines(
    name: str,
    street: str,
    house_number: str,
    code: str,
    city: str,
    *,
    attention: tuple[str, ...] = (),
) -> list[str]:
    """Name, optional "t.a.v." lines, street and number, postcode and PLACE (two spaces between
    postcode and place, place in capitals); no empty rows. PostNL allows six lines."""
    lines = [name.strip(), *(line.strip() for line in attention)]
    lines.append(" ".join(part for part in (street.strip(), house_number.strip()) if part))
    lines.append(
        "  ".join(
            part for part in (postal_code(code) if code else "", city.strip().upper()) if part
        )
    )
    return [line for line in lines if line]


def inline_address(street: str, house_number: str, code: str, city: str) -> str:
    """Grote Noord 12, 1621 AB Hoorn: an address on one line, as in a table; "" when unknown."""
    street_line = " ".join(part for part in (street.strip(), house_number.strip()) if part)
    place = " ".join(part for part in (postal_code(code) if code else "", city.strip()) if part)
    return ", ".join(part for part in (street_line, place) if part)

"""Numbers and quantities as the reader's locale writes them, with Babel.

Units are part of translated messages ("%(value)s t C/ha/yr" is "… t C/ha/an" in French and
"… t C/ha/año" in Spanish) and numbers are formatted by Babel for the locale (decimal comma,
grouping), so no template or view glues a Python-formatted number to an English unit.
"""

from babel.numbers import format_percent
from flask import Flask
from flask_babel import format_decimal, get_locale, ngettext
from flask_babel import gettext as _


def number(value, digits: int | None = None) -> str:
    """1,500.5 in English, 1 500,5 in French; `digits` fixes the decimals (else up to 3)."""
    if digits is None:
        return format_decimal(value, format="#,##0.###")
    return format_decimal(round(value, digits),
                          format="#,##0." + "0" * digits if digits else "#,##0")


def signed(value, digits: int | None = None) -> str:
    """A change with its sign, in the reader's locale: +0.25 / +0,25, -1.2 / -1,2."""
    decimals = "###" if digits is None else "0" * digits
    body = f"#,##0.{decimals}" if decimals else "#,##0"
    if digits is not None:
        value = round(value, digits)
    return format_decimal(value, format=f"+{body};-{body}")


def soc_rate(value, digits: int | None = None) -> str:
    """A soil organic carbon change: "+0.25 t C/ha/yr", "+0,25 t C/ha/an"."""
    return _("%(value)s t C/ha/yr", value=signed(value, digits))


def soc_stock(value, digits: int | None = None) -> str:
    return _("%(value)s t C/ha", value=number(value, digits))


def per_mille_rate(value, digits: int = 1) -> str:
    """A rate in per mille of the stock a year: "+4.2 ‰/yr", "+4,2 ‰/an"."""
    return _("%(value)s ‰/yr", value=signed(value, digits))


def percent(value) -> str:
    """A percentage as the locale writes it ("12.5%", "12,5 %"): `value` is in per cent."""
    return format_percent(value / 100, locale=get_locale(), decimal_quantization=False)


def area_ha(value) -> str:
    return _("%(value)s ha", value=number(value))


def rainfall_range(fields: dict) -> str:
    """'400–800 mm/yr', or an open range when a source gives only one bound."""
    low, high = fields.get("rainfall_mm_min"), fields.get("rainfall_mm_max")
    if low is not None and low == high:  # one figure, e.g. a measured annual mean
        return _("%(amount)s mm/yr", amount=number(low))
    if low is not None and high is not None:
        return _("%(low)s–%(high)s mm/yr", low=number(low), high=number(high))
    if low is not None:
        return _("at least %(amount)s mm/yr", amount=number(low))
    if high is not None:
        return _("up to %(amount)s mm/yr", amount=number(high))
    return ""


def quantity(value, unit: str | None) -> str:
    """A field's value with its unit (practices.fields), in the reader's language."""
    if not unit:
        return number(value)
    if unit == "%":
        return percent(value)
    if unit == "years":
        return ngettext("%(years)s year", "%(years)s years", int(value) if value == int(value)
                        else 2, years=number(value))
    formats = {
        "mm/yr": lambda: _("%(amount)s mm/yr", amount=number(value)),
        "t C/ha/yr": lambda: soc_rate(value),
        "t C/ha": lambda: soc_stock(value),
        "cm": lambda: _("%(value)s cm", value=number(value)),
        "ha": lambda: area_ha(value),
    }
    return formats[unit]() if unit in formats else f"{number(value)} {unit}"


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(number=number, signed=signed, soc_rate=soc_rate,
                                 soc_stock=soc_stock, per_mille_rate=per_mille_rate,
                                 percent=percent, area_ha=area_ha)
    app.jinja_env.globals.update(rainfall_range=rainfall_range, soc_rate=soc_rate,
                                 quantity=quantity)

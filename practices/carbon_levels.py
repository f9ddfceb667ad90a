"""The management levels of the IPCC Tier 1 soil-carbon estimator, with their labels.

A management is a land use and one level per group: for cropland the Table 5.5 land use
(F_LU), tillage (F_MG) and input (F_I); for grazing land the Table 6.2 management (F_MG) and,
for improved grassland only, the input (F_I). Codes are kebab-case like every vocabulary code;
`row` is the level's name in the IPCC table. The 2019 Refinement replaced grassland's
"moderately degraded" with "high intensity grazing": each exists in one edition only.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from practices.vocab.model import Term, term

EDITIONS = ("2019", "2006")
DEFAULT_EDITION = "2019"
LAND_USES = ("cropland", "grazing-land")


def N_(message: str) -> str:
    """Mark a string for translation without translating it here (the domain has no locale)."""
    return message


class EstimateError(ValueError):
    """The input is wrong: an unknown code or an invalid combination; `field` names it."""

    def __init__(self, message: str, field: str | None = None, **params):
        self.template = message
        self.params = params
        self.field = field
        super().__init__(message % params if params else message)


@dataclass(frozen=True)
class LevelGroup:
    """One position of a management: which factor it sets and the levels it may take."""

    name: str  # land_use, tillage, input (cropland); management, input (grazing land)
    factor: str  # F_LU, F_MG or F_I
    labels: dict
    terms: tuple[Term, ...]
    required: bool = True

    def label(self, lang: str = "en") -> str:
        return self.labels.get(lang) or self.labels["en"]

    def codes(self) -> tuple[str, ...]:
        return tuple(item.code for item in self.terms)


@dataclass(frozen=True)
class _Level:
    term: Term
    row: str  # the level's name in the table (start of the `level` column)
    editions: tuple[str, ...] = EDITIONS


def _level(code, en, fr, es, row, editions=EDITIONS) -> _Level:
    return _Level(term(code, en, fr, es), row, editions)


_CROPLAND = (
    (
        "land_use",
        "F_LU",
        {"en": "Cropland type", "fr": "Type de culture", "es": "Tipo de cultivo"},
        (
            _level(
                "long-term-cultivated",
                "Long-term cultivated",
                "Cultivé depuis longtemps",
                "Cultivado a largo plazo",
                "long-term cultivated",
            ),
            _level(
                "paddy-rice", "Paddy rice", "Riziculture inondée", "Arroz inundado", "paddy rice"
            ),
            _level(
                "perennial-tree-crop",
                "Perennial or tree crop",
                "Culture pérenne ou arboricole",
                "Cultivo perenne o arbóreo",
                "perennial/tree crop",
            ),
            _level(
                "set-aside",
                "Set aside (under 20 years)",
                "Mise en jachère (moins de 20 ans)",
                "Retirado del cultivo (menos de 20 años)",
                "set aside",
            ),
        ),
    ),
    (
        "tillage",
        "F_MG",
        {"en": "Tillage", "fr": "Travail du sol", "es": "Labranza"},
        (
            _level(
                "full-tillage",
                "Full tillage",
                "Travail du sol complet",
                "Labranza completa",
                "full tillage",
            ),
            _level(
                "reduced-tillage",
                "Reduced tillage",
                "Travail du sol réduit",
                "Labranza reducida",
                "reduced tillage",
            ),
            _level(
                "no-till",
                "No-till",
                "Semis direct sans travail du sol",
                "Siembra directa sin labranza",
                "no-till",
            ),
        ),
    ),
    (
        "input",
        "F_I",
        {"en": "Carbon input", "fr": "Apports de carbone", "es": "Aportes de carbono"},
        (
            _level("low-input", "Low input", "Apports faibles", "Aportes bajos", "low"),
            _level("medium-input", "Medium input", "Apports moyens", "Aportes medios", "medium"),
            _level(
                "high-input",
                "High input without manure",
                "Apports élevés sans fumier",
                "Aportes altos sin estiércol",
                "high without manure",
            ),
            _level(
                "high-input-manure",
                "High input with manure",
                "Apports élevés avec fumier",
                "Aportes altos con estiércol",
                "high with manure",
            ),
        ),
    ),
)
_GRASSLAND = (
    (
        "management",
        "F_MG",
        {"en": "Grassland management", "fr": "Gestion de la prairie", "es": "Manejo del pastizal"},
        (
            _level(
                "nominally-managed",
                "Nominally managed (not degraded)",
                "Gestion nominale (non dégradée)",
                "Manejo nominal (no degradado)",
                "nominally managed",
            ),
            _level(
                "high-intensity-grazing",
                "High-intensity grazing",
                "Pâturage intensif",
                "Pastoreo de alta intensidad",
                "high intensity grazing",
                ("2019",),
            ),
            _level(
                "moderately-degraded",
                "Moderately degraded",
                "Modérément dégradée",
                "Moderadamente degradado",
                "moderately degraded",
                ("2006",),
            ),
            _level(
                "severely-degraded",
                "Severely degraded",
                "Fortement dégradée",
                "Severamente degradado",
                "severely degraded",
            ),
            _level(
                "improved",
                "Improved grassland",
                "Prairie améliorée",
                "Pastizal mejorado",
                "improved grassland",
            ),
        ),
    ),
    (
        "input",
        "F_I",
        {
            "en": "Input (improved grassland only)",
            "fr": "Apports (prairie améliorée seulement)",
            "es": "Aportes (solo pastizal mejorado)",
        },
        (
            _level("medium-input", "Medium input", "Apports moyens", "Aportes medios", "medium"),
            _level("high-input", "High input", "Apports élevés", "Aportes altos", "high"),
        ),
    ),
)
_GROUPS = {"cropland": _CROPLAND, "grazing-land": _GRASSLAND}


@dataclass(frozen=True)
class Management:
    """A land use and its levels in canonical order, e.g. ("long-term-cultivated",
    "full-tillage", "medium-input") or ("severely-degraded",) / ("improved", "high-input")."""

    land_use: str
    levels: tuple[str, ...]


def management_levels(
    land_use: str, edition: str | None = DEFAULT_EDITION
) -> tuple[LevelGroup, ...]:
    """The groups of levels a management of `land_use` takes in `edition`, in order
    (`edition=None`: the levels of every edition, e.g. for a form that offers both)."""
    if edition is not None:
        check_edition(edition)
    check_land_use(land_use)
    return tuple(
        LevelGroup(
            name,
            factor,
            labels,
            tuple(level.term for level in levels if edition is None or edition in level.editions),
            required=not (land_use == "grazing-land" and name == "input"),
        )
        for name, factor, labels, levels in _GROUPS[land_use]
    )


def level_editions(land_use: str, code: str) -> tuple[str, ...]:
    """The editions whose tables have this level (all of them for most levels)."""
    for _name, _factor, _labels, levels in _GROUPS.get(land_use, ()):
        for level in levels:
            if level.term.code == code:
                return level.editions
    return ()


def level_label(land_use: str, code: str, lang: str = "en") -> str:
    """The label of a level code (any edition), or the code itself if unknown."""
    for _name, _factor, _labels, levels in _GROUPS.get(land_use, ()):
        for level in levels:
            if level.term.code == code:
                return level.term.label(lang)
    return code


def management(
    land_use: str,
    levels: Sequence[str] | str,
    *,
    edition: str = DEFAULT_EDITION,
    field: str = "practice",
) -> Management:
    """Check `levels` (in any order) against the land use and put them in canonical order.

    Raises EstimateError(field=field) for an unknown level, two levels of one group, a
    missing level, or an input level on grassland that is not improved. A level that exists
    but not in `edition` passes here; `estimate` answers NoDefault for it.
    """
    check_land_use(land_use)
    chosen: dict[str, str] = {}
    for code in codes(levels):
        group = _group_of(land_use, code)
        if group is None:
            raise EstimateError(
                N_("“%(code)s” is not a management level of %(land_use)s."),
                field,
                code=code,
                land_use=land_use,
            )
        if group in chosen and chosen[group] != code:
            raise EstimateError(
                N_(
                    "Give one level per group: “%(first)s” and “%(second)s” "
                    "are both levels of “%(group)s”."
                ),
                field,
                first=chosen[group],
                second=code,
                **_group_params(land_use, group),
            )
        chosen[group] = code
    ordered = []
    for name, _factor, _labels, _levels in _GROUPS[land_use]:
        if name in chosen:
            ordered.append(chosen[name])
        elif _required(land_use, name, chosen):
            raise EstimateError(
                N_("Choose a level for “%(group)s”."), field, **_group_params(land_use, name)
            )
    if land_use == "grazing-land" and "input" in chosen and chosen["management"] != "improved":
        raise EstimateError(
            N_("Input levels apply to improved grassland only (IPCC Table 6.2)."), field
        )
    return Management(land_use, tuple(ordered))


def _group_params(land_use: str, group: str) -> dict:
    """The group's English label for the message, and what a translation needs to replace it."""
    labels = next(labels for name, _f, labels, _l in _GROUPS[land_use] if name == group)
    return {"group": labels["en"], "group_name": group, "land_use": land_use}


def codes(levels: Sequence[str] | str) -> list[str]:
    if isinstance(levels, str):
        levels = levels.split(",")
    return [code.strip() for code in levels if code and code.strip()]


def _required(land_use: str, group: str, chosen: dict) -> bool:
    if land_use == "grazing-land" and group == "input":
        return chosen.get("management") == "improved"
    return True


def _group_of(land_use: str, code: str) -> str | None:
    for name, _factor, _labels, levels in _GROUPS[land_use]:
        if any(level.term.code == code for level in levels):
            return name
    return None


def level_spec(land_use: str, code: str) -> tuple[str, _Level]:
    for _name, factor, _labels, levels in _GROUPS[land_use]:
        for level in levels:
            if level.term.code == code:
                return factor, level
    raise KeyError(code)  # management() checked every code already


def check_edition(edition: str) -> None:
    if edition not in EDITIONS:
        raise EstimateError(
            N_("Unknown edition “%(code)s”: choose 2019 or 2006."), "edition", code=edition
        )


def check_land_use(land_use: str) -> None:
    if land_use not in LAND_USES:
        raise EstimateError(
            N_(
                "IPCC Tier 1 factors are given here for cropland and grazing "
                "land only, not “%(code)s”."
            ),
            "land_use",
            code=land_use,
        )

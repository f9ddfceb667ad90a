"""The management levels of the IPCC Tier 1 soil-carbon method, as sheets record them.

A sheet says which land use the estimate is for (cropland or grazing land) and, for the
baseline and for the practice, one level per factor: for cropland the land use level (F_LU),
the tillage (F_MG) and the input (F_I); for grazing land the grassland condition (F_MG) and,
for improved grassland only, the input (F_I). The codes are those of `practices.carbon_levels`
(IPCC 2019 Refinement, Vol. 4, Tables 5.5 and 6.2; `moderately-degraded` is the 2006 edition's
name of the row that 2019 calls high-intensity grazing), which also says which level belongs
to which land use; this is the flat vocabulary the edit form, the API and imports offer.
"""

from practices.vocab.model import term

CROPLAND, GRAZING_LAND = "cropland", "grazing-land"

LAND_USES = (
    term(CROPLAND, "Cropland", "Terres cultivées", "Tierras de cultivo"),
    term(
        GRAZING_LAND,
        "Grazing land (grassland)",
        "Pâturages (prairies)",
        "Tierras de pastoreo (pastizales)",
    ),
)

# In this order in the vocabulary, so that a cleaned list reads: land use, then management
# or tillage, then input.
_CROPLAND_LAND_USE = (
    term(
        "long-term-cultivated",
        "Long-term cultivated",
        "Culture de longue durée",
        "Cultivo a largo plazo",
        desc="Cropland continuously managed for over 20 years, mainly annual crops",
    ),
    term(
        "paddy-rice",
        "Paddy rice",
        "Riz de rizière inondée",
        "Arroz de inundación",
        desc="Long-term (> 20 years) annual cropping of wetland (paddy) rice",
    ),
    term(
        "perennial-tree-crop",
        "Perennial / tree crop",
        "Culture pérenne / arboricole",
        "Cultivo perenne / arbóreo",
        desc="Long-term perennial tree crops such as fruit and nut trees, coffee and cacao",
    ),
    term(
        "set-aside",
        "Set-aside (less than 20 years)",
        "Mise en jachère (moins de 20 ans)",
        "Retiro de la producción (menos de 20 años)",
        desc="Temporary set-aside of annually cropped land, e.g. under perennial grasses",
    ),
)
_GRASSLAND_MANAGEMENT = (
    term(
        "nominally-managed",
        "Nominally managed (non-degraded) grassland",
        "Prairie gérée de façon nominale (non dégradée)",
        "Pastizal con manejo nominal (no degradado)",
    ),
    term(
        "high-intensity-grazing",
        "High-intensity grazing",
        "Pâturage de forte intensité",
        "Pastoreo de alta intensidad",
        desc="IPCC 2019 Refinement",
    ),
    term(
        "moderately-degraded",
        "Moderately degraded grassland (2006 edition)",
        "Prairie modérément dégradée (édition 2006)",
        "Pastizal moderadamente degradado (edición 2006)",
        desc="IPCC 2006 Guidelines only",
    ),
    term(
        "severely-degraded",
        "Severely degraded grassland",
        "Prairie gravement dégradée",
        "Pastizal gravemente degradado",
    ),
    term("improved", "Improved grassland", "Prairie améliorée", "Pastizal mejorado"),
)
_TILLAGE = (
    term("full-tillage", "Full tillage", "Travail du sol complet", "Labranza completa"),
    term("reduced-tillage", "Reduced tillage", "Travail du sol réduit", "Labranza reducida"),
    term("no-till", "No-till", "Semis direct sans travail du sol", "Siembra directa sin labranza"),
)
_INPUT = (
    term("low-input", "Low input", "Apports faibles", "Aportes bajos"),
    term("medium-input", "Medium input", "Apports moyens", "Aportes medios"),
    term(
        "high-input",
        "High input",
        "Apports élevés",
        "Aportes altos",
        desc="On cropland: high input without manure",
    ),
    term(
        "high-input-manure",
        "High input with manure",
        "Apports élevés avec fumier",
        "Aportes altos con estiércol",
    ),
)
LEVELS = _CROPLAND_LAND_USE + _GRASSLAND_MANAGEMENT + _TILLAGE + _INPUT

"""What a practice is and does, in WOCAT's terms: SLM groups, measures, degradation addressed.

English labels and descriptions are WOCAT's (qcat "technologies" questionnaire 2015/2018),
tidied; French and Spanish are ours. Measure and degradation codes are WOCAT's own (A1, S2,
Wt ...): the new WOCAT database API uses the same codes in its sub-lists.
"""

from practices.vocab.model import Term, term, wocat


def _group(code: str, suffix: str, en: str, fr: str, es: str, desc: str,
           aliases: tuple[str, ...] = ()) -> Term:
    return term(code, en, fr, es, *wocat("tech_slm_group_", suffix), desc=desc, aliases=aliases)


PRACTICE_GROUPS = (
    _group("natural-forest-management", "forest", "Natural and semi-natural forest management",
           "Gestion des forêts naturelles et semi-naturelles",
           "Manejo de bosques naturales y seminaturales",
           "The administrative, legal, technical, economic, social and environmental aspects of "
           "the conservation and use of forests."),
    _group("forest-plantation-management", "plantation", "Forest plantation management",
           "Gestion des plantations forestières", "Manejo de plantaciones forestales",
           "Even-aged monocultures established primarily for wood and fibre production, "
           "usually intensively managed."),
    _group("agroforestry", "agroforestry", "Agroforestry", "Agroforesterie", "Agroforestería",
           "Integrates woody perennials with agricultural crops and/or animals for better use of "
           "soil and water, multiple products and habitat for associated species."),
    _group("windbreak", "windbreak", "Windbreak / shelterbelt", "Brise-vent / haie brise-vent",
           "Cortavientos / cortina rompevientos",
           "One or more rows of trees or shrubs planted to shelter from the wind and protect "
           "soil from erosion, commonly around the edges of fields."),
    _group("area-closure", "closure", "Area closure (stop use, support restoration)",
           "Mise en défens (arrêt de l'exploitation, appui à la restauration)",
           "Clausura de áreas (suspensión del uso, apoyo a la restauración)",
           "Enclosing and protecting degraded land from human use and animals to permit natural "
           "rehabilitation, helped by vegetative and structural measures."),
    _group("rotational-systems", "rotational",
           "Rotational systems (crop rotation, fallows, shifting cultivation)",
           "Systèmes de rotation (rotation des cultures, jachères, agriculture itinérante)",
           "Sistemas de rotación (rotación de cultivos, barbechos, agricultura itinerante)",
           "Growing dissimilar crops in sequence on the same land, fallowing it for a time, or "
           "moving cultivation between plots."),
    _group("grazing-land-management", "pastoralism", "Pastoralism and grazing land management",
           "Pastoralisme et gestion des pâturages", "Pastoralismo y manejo de pastizales",
           "Grazing of animals on natural or semi-natural grassland, grassland with trees and/or "
           "open woodlands, with livestock moved according to resources."),
    _group("integrated-crop-livestock", "croplivestock", "Integrated crop-livestock management",
           "Gestion intégrée agriculture-élevage", "Manejo integrado de cultivos y ganado",
           "Optimizes the use of crop and livestock resources through interaction and "
           "synergies."),
    _group("improved-ground-cover", "groundcover", "Improved ground / vegetation cover",
           "Amélioration de la couverture du sol / végétale",
           "Mejora de la cobertura del suelo / vegetal",
           "Any measure that improves ground cover, by dead material / mulch or vegetation."),
    _group("minimal-soil-disturbance", "soildisturbance", "Minimal soil disturbance",
           "Perturbation minimale du sol", "Mínima alteración del suelo",
           "No tillage, or low soil disturbance only in small strips and/or at shallow depth, "
           "and direct seeding."),
    _group("integrated-soil-fertility", "soilfertility", "Integrated soil fertility management",
           "Gestion intégrée de la fertilité des sols",
           "Manejo integrado de la fertilidad del suelo",
           "Combines organic and mineral sources of nutrients with soil and water conservation "
           "to manage soil fertility."),
    _group("cross-slope-measure", "crossslope", "Cross-slope measure",
           "Mesures en travers de la pente", "Medidas transversales a la pendiente",
           "Earth or soil bunds, stone lines, vegetative strips, etc. built on sloping land to "
           "reduce runoff velocity and soil erosion."),
    _group("integrated-pest-management", "diseasemanagement",
           "Integrated pest and disease management (incl. organic agriculture)",
           "Gestion intégrée des ravageurs et des maladies (y compris l'agriculture biologique)",
           "Manejo integrado de plagas y enfermedades (incl. agricultura orgánica)",
           "Solving pest and disease problems while minimizing risks to people and the "
           "environment."),
    _group("improved-varieties", "varieties", "Improved plant varieties / animal breeds",
           "Variétés végétales / races animales améliorées",
           "Variedades vegetales / razas animales mejoradas",
           "New plant varieties or animal breeds with better production, pest and disease "
           "resistance or drought tolerance."),
    _group("water-harvesting", "waterharvesting", "Water harvesting", "Collecte de l'eau",
           "Cosecha de agua",
           "Collecting and managing floodwater or rainwater runoff to increase water for "
           "domestic and agricultural use and for ecosystems."),
    _group("irrigation-management", "irrigation",
           "Irrigation management (incl. water supply, drainage)",
           "Gestion de l'irrigation (y compris approvisionnement en eau, drainage)",
           "Manejo del riego (incl. suministro de agua, drenaje)",
           "Higher water use efficiency through better water collection, abstraction, storage, "
           "distribution and application."),
    _group("water-diversion-drainage", "drainage", "Water diversion and drainage",
           "Dérivation et drainage des eaux", "Desviación y drenaje del agua",
           "Natural or artificial diversion or removal of surface and sub-surface water from "
           "an area."),
    _group("surface-water-management", "surfacewater",
           "Surface water management (spring, river, lakes, sea)",
           "Gestion des eaux de surface (sources, rivières, lacs, mer)",
           "Manejo de aguas superficiales (manantiales, ríos, lagos, mar)",
           "Protecting springs, rivers and lakes from pollution, floods and over-abstraction, "
           "and land from the water bodies' harmful effects."),
    _group("groundwater-management", "groundwater", "Groundwater management",
           "Gestion des eaux souterraines", "Manejo de aguas subterráneas",
           "Securing groundwater recharge and protecting it from pollution, overuse and rising "
           "water tables that cause salinization.", aliases=("ground water management",)),
    _group("wetland-management", "wetland", "Wetland protection / management",
           "Protection / gestion des zones humides", "Protección / manejo de humedales",
           "Managing water levels and vegetation in the wetland and providing an upland "
           "buffer."),
    _group("waste-management", "wastemanagement", "Waste management / waste water management",
           "Gestion des déchets / des eaux usées", "Gestión de residuos / aguas residuales",
           "Collection, transport, treatment, disposal, prevention and recycling of waste."),
    _group("energy-efficiency", "energy", "Energy efficiency technologies",
           "Technologies d'efficacité énergétique", "Tecnologías de eficiencia energética",
           "Reduce the energy needed for products and services, e.g. cooking and heating, and "
           "so the demand for fuel (fossil, wood)."),
    _group("small-livestock-beekeeping-aquaculture", "beekeeping",
           "Beekeeping, aquaculture, poultry, rabbit farming, silkworm farming, etc.",
           "Apiculture, aquaculture, aviculture, cuniculture, sériciculture, etc.",
           "Apicultura, acuicultura, avicultura, cunicultura, sericultura, etc.",
           "Food and agricultural production that needs little land."),
    _group("home-gardens", "gardens", "Home gardens", "Jardins de case / potagers familiaux",
           "Huertos familiares",
           "Traditional multifunctional farming on a small area around the family home "
           "(backyard or kitchen gardens)."),
    _group("ecosystem-based-drr", "drr", "Ecosystem-based disaster risk reduction",
           "Réduction des risques de catastrophe fondée sur les écosystèmes",
           "Reducción del riesgo de desastres basada en los ecosistemas",
           "Sustainable management, conservation and restoration of ecosystems to reduce "
           "disaster risk."),
    _group("post-harvest", "postharvest", "Post-harvest measures", "Mesures post-récolte",
           "Medidas poscosecha",
           "Bringing a crop from harvest to consumption with minimum loss: drying, storage, "
           "cooling, cleaning, sorting, packing."),
)

MEASURE_TYPES = (
    term("agronomic", "Agronomic measures", "Mesures agronomiques", "Medidas agronómicas",
         *wocat("tech_measures_", "agronomic"),
         desc="Usually on annual crops, repeated each season or in rotation, short-lived, "
              "not changing the slope profile"),
    term("vegetative", "Vegetative measures", "Mesures végétales", "Medidas vegetativas",
         *wocat("tech_measures_", "vegetative"),
         desc="Perennial grasses, shrubs or trees, long-lived, often along the contour or "
              "across the prevailing wind"),
    term("structural", "Structural measures", "Mesures structurelles", "Medidas estructurales",
         *wocat("tech_measures_", "structural"),
         desc="Long-lived or permanent works (earth, stone, wood, concrete) to control runoff, "
              "erosion and wind or to harvest water"),
    term("management", "Management measures", "Mesures de gestion", "Medidas de manejo",
         *wocat("tech_measures_", "management"),
         desc="A fundamental change in land use or its intensity, often improving vegetation "
              "cover"),
    # qcat calls "other measures" tech_measures_indirect; the new API is said to say OTHER.
    term("other", "Other measures", "Autres mesures", "Otras medidas",
         *wocat("tech_measures_", "indirect"), "OTHER",
         desc="E.g. beekeeping, small livestock, fish ponds, food storage and processing"),
)

_MEASURE_FAMILIES = {"A": "agronomic", "V": "vegetative", "S": "structural", "M": "management"}


def _measure(code: str, en: str, fr: str, es: str, desc: str | None = None,
             aliases: tuple[str, ...] = (), extra: tuple[str, ...] = ()) -> Term:
    """A measure; `aliases` are WOCAT labels that differ from ours, `extra` more WOCAT keys."""
    family = _MEASURE_FAMILIES[code[0]]
    keys = (f"measures_{family}_{code.lower()}", code, *extra)
    return term(code, en, fr, es, *keys, parent=family, desc=desc, aliases=aliases)


MEASURES = (
    _measure("A1", "Vegetation / soil cover", "Couverture végétale / du sol",
             "Cobertura vegetal / del suelo",
             "E.g. mixed cropping, intercropping, relay cropping, cover cropping"),
    _measure("A2", "Organic matter / soil fertility", "Matière organique / fertilité du sol",
             "Materia orgánica / fertilidad del suelo",
             "E.g. compost / manure, mulching, trash lines, green manure, crop rotations"),
    # Edition 2018 splits A3 by tillage (A3.1 no, A3.2 reduced, A3.3 full tillage).
    _measure("A3", "Soil surface treatment", "Traitement de la surface du sol",
             "Tratamiento de la superficie del suelo",
             "E.g. zero tillage (no-till), minimum tillage, contour tillage",
             extra=("tillage_no", "tillage_reduced", "tillage_full")),
    _measure("A4", "Subsurface treatment", "Traitement du sous-sol", "Tratamiento del subsuelo",
             "E.g. breaking compacted subsoil (hard pans), deep ripping, double digging"),
    _measure("A5", "Seed management, improved varieties",
             "Gestion des semences, variétés améliorées",
             "Manejo de semillas, variedades mejoradas",
             "E.g. seed production and selection, seed banks, improved varieties"),
    # Edition 2018 made A6 "residue management" and moved "others" to A7; the contract keeps
    # A6 for both, so all these keys land here rather than be dropped.
    _measure("A6", "Other agronomic measures", "Autres mesures agronomiques",
             "Otras medidas agronómicas", "Including residue management (WOCAT 2018: A6)",
             aliases=("Others", "Residue management", "A7: Others"),
             extra=("measures_agronomic_a6_residue_management", "measures_agronomic_a7", "A7")),
    _measure("V1", "Tree and shrub cover", "Couvert arboré et arbustif",
             "Cobertura de árboles y arbustos",
             "E.g. agroforestry, windbreaks, afforestation, hedges, live fences"),
    _measure("V2", "Grasses and perennial herbaceous plants",
             "Graminées et plantes herbacées pérennes", "Gramíneas y plantas herbáceas perennes",
             "E.g. grass strips along the contour, vegetation strips along riverbanks"),
    _measure("V3", "Clearing of vegetation", "Défrichement de la végétation",
             "Desbroce de la vegetación", "E.g. fire breaks, reduced fuel for forest fires"),
    _measure("V4", "Replacement or removal of alien / invasive species",
             "Remplacement ou élimination d'espèces exotiques / envahissantes",
             "Sustitución o eliminación de especies exóticas / invasoras",
             "E.g. cutting of undesired trees and bushes"),
    _measure("V5", "Other vegetative measures", "Autres mesures végétales",
             "Otras medidas vegetativas", "E.g. tree nurseries", aliases=("Others",)),
    _measure("S1", "Terraces", "Terrasses", "Terrazas", "E.g. bench terraces"),
    _measure("S2", "Bunds, banks", "Diguettes, talus", "Bordos, terraplenes",
             "E.g. earth bunds, stone bunds (along the contour or graded), half-moons"),
    _measure("S3", "Graded ditches, channels, waterways", "Fossés en pente, canaux, voies d'eau",
             "Zanjas con pendiente, canales, cursos de agua",
             "E.g. diversion / drainage ditches, waterways to drain and convey water"),
    _measure("S4", "Level ditches, pits", "Fossés à niveau, cuvettes", "Zanjas a nivel, hoyos",
             "E.g. retention / infiltration ditches, planting holes, micro-catchments"),
    _measure("S5", "Dams, pans, ponds", "Barrages, mares, bassins", "Presas, charcas, estanques",
             "E.g. dams for flood control or irrigation, sand dams"),
    _measure("S6", "Walls, barriers, palisades, fences", "Murs, barrières, palissades, clôtures",
             "Muros, barreras, empalizadas, cercas",
             "E.g. sand dune stabilization, fences for rotational grazing, gully plugs"),
    _measure("S7", "Water harvesting / supply / irrigation equipment",
             "Équipements de collecte, d'approvisionnement en eau et d'irrigation",
             "Equipos de cosecha, suministro de agua y riego",
             "E.g. rooftop water harvesting, water intakes, pipes, tanks"),
    _measure("S8", "Sanitation / waste water structures",
             "Ouvrages d'assainissement / de traitement des eaux usées",
             "Estructuras de saneamiento / aguas residuales",
             "E.g. compost toilets, septic tanks, constructed treatment wetlands"),
    _measure("S9", "Shelters for plants and animals", "Abris pour les plantes et les animaux",
             "Refugios para plantas y animales",
             "E.g. greenhouses, stables, shelters for plant nurseries"),
    _measure("S10", "Energy saving measures", "Mesures d'économie d'énergie",
             "Medidas de ahorro energético",
             "E.g. wood-saving stoves, insulation, renewable energy (solar, biogas, wind, hydro)"),
    _measure("S11", "Other structural measures", "Autres mesures structurelles",
             "Otras medidas estructurales",
             "E.g. compost production pits, reshaping the surface (reducing slope)",
             aliases=("Others",)),
    _measure("M1", "Change of land use type", "Changement du type d'utilisation des terres",
             "Cambio del tipo de uso de la tierra",
             "E.g. area closure / resting, from cropland to grazing land, from forest to "
             "agroforestry, afforestation"),
    _measure("M2", "Change of management / intensity level",
             "Changement de gestion / du niveau d'intensité",
             "Cambio de manejo / del nivel de intensidad",
             "E.g. from grazing to cut-and-carry, from mono-cropping to rotations, from "
             "continuous cropping to managed fallow"),
    _measure("M3", "Layout according to natural and human environment",
             "Aménagement adapté au milieu naturel et humain",
             "Disposición adaptada al entorno natural y humano",
             "E.g. excluding waterways and hazardous areas, distributing water points, "
             "increasing landscape diversity"),
    _measure("M4", "Major change in timing of activities",
             "Changement majeur du calendrier des activités",
             "Cambio importante en el calendario de actividades",
             "E.g. land preparation, planting, cutting of vegetation"),
    _measure("M5", "Control / change of species composition",
             "Contrôle / modification de la composition des espèces",
             "Control / cambio de la composición de especies",
             "E.g. reducing invasive species, selective clearing, controlled burning"),
    _measure("M6", "Waste management (recycling, re-use or reduce)",
             "Gestion des déchets (recyclage, réutilisation ou réduction)",
             "Gestión de residuos (reciclaje, reutilización o reducción)"),
    _measure("M7", "Other management measures", "Autres mesures de gestion",
             "Otras medidas de manejo", aliases=("Others",)),
)

DEGRADATION_TYPES = (
    term("water-erosion", "Soil erosion by water", "Érosion hydrique des sols",
         "Erosión hídrica del suelo", *wocat("degradation_", "erosion_water")),
    term("wind-erosion", "Soil erosion by wind", "Érosion éolienne des sols",
         "Erosión eólica del suelo", *wocat("degradation_", "erosion_wind")),
    term("chemical", "Chemical soil deterioration", "Dégradation chimique des sols",
         "Deterioro químico del suelo", *wocat("degradation_", "chemical")),
    term("physical", "Physical soil deterioration", "Dégradation physique des sols",
         "Deterioro físico del suelo", *wocat("degradation_", "physical")),
    term("biological", "Biological degradation", "Dégradation biologique",
         "Degradación biológica", *wocat("degradation_", "biological")),
    term("water-degradation", "Water degradation", "Dégradation des ressources en eau",
         "Degradación de los recursos hídricos", *wocat("degradation_", "water")),
    term("other", "Other degradation", "Autre dégradation", "Otra degradación",
         *wocat("degradation_", "other"), aliases=("Other",)),
)

_DEGRADATION_FAMILIES = {"W": "water-erosion", "E": "wind-erosion", "C": "chemical",
                         "P": "physical", "B": "biological", "H": "water-degradation"}


def _degradation(code: str, en: str, fr: str, es: str, desc: str | None = None,
                 wocat_label: str | None = None) -> Term:
    return term(code, en, fr, es, f"degradation_{code.lower()}", code,
                parent=_DEGRADATION_FAMILIES[code[0]], desc=desc,
                aliases=(wocat_label,) if wocat_label else ())


_OFFSITE = "Offsite degradation effects"
DEGRADATION_ADDRESSED = (
    _degradation("Wt", "Loss of topsoil / surface erosion",
                 "Perte de la couche arable / érosion de surface",
                 "Pérdida de la capa arable / erosión superficial",
                 "Even removal of topsoil, sheet and interrill erosion"),
    _degradation("Wg", "Gully erosion / gullying", "Érosion en ravines / ravinement",
                 "Erosión en cárcavas"),
    _degradation("Wm", "Mass movements / landslides",
                 "Mouvements de masse / glissements de terrain",
                 "Movimientos en masa / deslizamientos de tierra"),
    _degradation("Wr", "Riverbank erosion", "Érosion des berges", "Erosión de riberas"),
    _degradation("Wc", "Coastal erosion", "Érosion côtière", "Erosión costera"),
    _degradation("Wo", f"{_OFFSITE} of water erosion", "Effets hors site de l'érosion hydrique",
                 "Efectos fuera del sitio de la erosión hídrica",
                 "Sediment deposition, downstream flooding, siltation of reservoirs and "
                 "waterways, pollution of water bodies", wocat_label=_OFFSITE),
    _degradation("Et", "Loss of topsoil by wind", "Perte de la couche arable par le vent",
                 "Pérdida de la capa arable por el viento", "Uniform displacement",
                 wocat_label="Loss of topsoil"),
    _degradation("Ed", "Deflation and deposition", "Déflation et dépôt", "Deflación y deposición",
                 "Uneven removal of soil material"),
    _degradation("Eo", f"{_OFFSITE} of wind erosion", "Effets hors site de l'érosion éolienne",
                 "Efectos fuera del sitio de la erosión eólica",
                 "Covering of the terrain with windborne sand from distant sources "
                 "(overblowing)", wocat_label=_OFFSITE),
    _degradation("Cn", "Fertility decline and reduced organic matter content (not caused by "
                 "erosion)", "Baisse de fertilité et de la teneur en matière organique (hors "
                 "érosion)", "Disminución de la fertilidad y de la materia orgánica (no causada "
                 "por la erosión)",
                 "E.g. leaching, soil fertility mining, nutrient oxidation and volatilization"),
    _degradation("Ca", "Acidification", "Acidification", "Acidificación",
                 "Lowering of the soil pH"),
    _degradation("Cp", "Soil pollution", "Pollution des sols", "Contaminación del suelo",
                 "Contamination of the soil with toxic materials"),
    _degradation("Cs", "Salinization / alkalinization", "Salinisation / alcalinisation",
                 "Salinización / alcalinización",
                 "Net increase of the salt content of the (top)soil, lowering productivity"),
    _degradation("Pc", "Compaction", "Compactage", "Compactación",
                 "Soil structure deteriorated by trampling or machinery"),
    _degradation("Pk", "Slaking and crusting", "Battance et encroûtement",
                 "Desagregación y encostramiento",
                 "Pores clogged by fine material, a thin impervious surface layer"),
    _degradation("Pi", "Soil sealing", "Imperméabilisation des sols", "Sellado del suelo",
                 "Ground covered by impermeable material (construction, mining, roads)"),
    _degradation("Pw", "Waterlogging", "Engorgement en eau", "Anegamiento",
                 "Human-induced water saturation of soils (excluding paddy fields)"),
    _degradation("Ps", "Subsidence of organic soils, settling of soil",
                 "Affaissement des sols organiques, tassement du sol",
                 "Subsidencia de suelos orgánicos, asentamiento del suelo"),
    _degradation("Pu", "Loss of bio-productive function due to other activities",
                 "Perte de fonction bioproductive due à d'autres activités",
                 "Pérdida de la función bioproductiva por otras actividades"),
    _degradation("Bc", "Reduction of vegetation cover", "Réduction du couvert végétal",
                 "Reducción de la cobertura vegetal", "Increase of bare / unprotected soil"),
    _degradation("Bh", "Loss of habitats", "Perte d'habitats", "Pérdida de hábitats",
                 "Less vegetation diversity, more fragmented habitats"),
    _degradation("Bq", "Quantity / biomass decline", "Baisse de la quantité / de la biomasse",
                 "Disminución de la cantidad / biomasa", "Reduced vegetative production"),
    _degradation("Bf", "Detrimental effects of fires", "Effets néfastes des feux",
                 "Efectos perjudiciales de los incendios",
                 "On forest (e.g. slash and burn), bush, grazing land and cropland"),
    _degradation("Bs", "Quality and species composition / diversity decline",
                 "Baisse de la qualité et de la diversité / composition des espèces",
                 "Disminución de la calidad y de la composición / diversidad de especies",
                 "Loss of natural species, land races, palatable grasses; spread of invasive "
                 "species / weeds"),
    _degradation("Bl", "Loss of soil life", "Perte de vie du sol", "Pérdida de vida del suelo",
                 "Decline of soil macro- and micro-organisms"),
    _degradation("Bp", "Increase of pests / diseases, loss of predators",
                 "Augmentation des ravageurs / maladies, perte de prédateurs",
                 "Aumento de plagas / enfermedades, pérdida de depredadores",
                 "Reduction of biological control"),
    _degradation("Ha", "Aridification", "Aridification", "Aridificación",
                 "Decrease of average soil moisture content"),
    _degradation("Hs", "Change in quantity of surface water",
                 "Modification de la quantité d'eau de surface",
                 "Cambio en la cantidad de agua superficial",
                 "Change of the flow regime: floods, peak and low flows, drying up"),
    _degradation("Hg", "Change in groundwater / aquifer level",
                 "Modification du niveau de la nappe / de l'aquifère",
                 "Cambio en el nivel del agua subterránea / acuífero",
                 "Lowered water table (over-use, less recharge) or a rising one (waterlogging, "
                 "salinization)"),
    _degradation("Hp", "Decline of surface water quality",
                 "Baisse de la qualité des eaux de surface",
                 "Disminución de la calidad del agua superficial",
                 "More sediments and pollutants in fresh water bodies"),
    _degradation("Hq", "Decline of groundwater quality",
                 "Baisse de la qualité des eaux souterraines",
                 "Disminución de la calidad del agua subterránea",
                 "Pollutants infiltrating into aquifers"),
    _degradation("Hw", "Reduction of the buffering capacity of wetland areas",
                 "Réduction de la capacité tampon des zones humides",
                 "Reducción de la capacidad amortiguadora de los humedales",
                 "Less capacity to cope with flooding and pollution"),
)

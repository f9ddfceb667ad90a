"""Where a practice works and why: climate, land use, terrain, soils, purposes, basis, licences.

Codes are the project's stable contract with the demo data and the app. English labels and
descriptions are WOCAT's (qcat "technologies" questionnaire, editions 2015/2018), tidied; the
French and Spanish labels are ours. `wocat_keys` lists the qcat value keyword and the new
WOCAT database API enum of each value, so that importers can map records to codes.
"""

from practices.vocab.model import Term, term, wocat

_LGP = {"en": "Length of growing period (LGP) {}", "fr": "Durée de la période de croissance {}",
        "es": "Duración del período de crecimiento {}"}


def _lgp(days_en: str, days_fr: str, days_es: str) -> dict[str, str]:
    return {"en": _LGP["en"].format(days_en), "fr": _LGP["fr"].format(days_fr),
            "es": _LGP["es"].format(days_es)}


AGRO_CLIMATIC_ZONES = (
    term("humid", "Humid", "Humide", "Húmedo", *wocat("tech_agroclimatic_zone_", "humid"),
         desc=_lgp("> 270 days", "> 270 jours", "> 270 días")),
    term("sub-humid", "Sub-humid", "Subhumide", "Subhúmedo",
         *wocat("tech_agroclimatic_zone_", "subhumid"),
         desc=_lgp("180-269 days", "180-269 jours", "180-269 días")),
    term("semi-arid", "Semi-arid", "Semi-aride", "Semiárido",
         *wocat("tech_agroclimatic_zone_", "semiarid"),
         desc=_lgp("75-179 days", "75-179 jours", "75-179 días")),
    term("arid", "Arid", "Aride", "Árido", *wocat("tech_agroclimatic_zone_", "arid"),
         desc=_lgp("0-74 days", "0-74 jours", "0-74 días")),
)

# IPCC 2006 Guidelines vol. 4 ch. 3 (2019 Refinement): the zones of the Tier 1 SOC factors.
# MAT = mean annual temperature, MAP = mean annual precipitation, PET = potential evapotr.
_TROPICAL = "Tropical (MAT > 18 °C, frost-free), "
_MOIST, _DRY = "MAP:PET > 1", "MAP:PET < 1"
IPCC_CLIMATE_ZONES = (
    term("tropical-montane", "Tropical montane", "Tropical de montagne", "Tropical montano",
         desc="Tropical, elevation > 1000 m"),
    term("tropical-wet", "Tropical wet", "Tropical très humide", "Tropical muy húmedo",
         desc=_TROPICAL + "MAP > 2000 mm"),
    term("tropical-moist", "Tropical moist", "Tropical humide", "Tropical húmedo",
         desc=_TROPICAL + "MAP 1000-2000 mm"),
    term("tropical-dry", "Tropical dry", "Tropical sec", "Tropical seco",
         desc=_TROPICAL + "MAP < 1000 mm"),
    term("warm-temperate-moist", "Warm temperate moist", "Tempéré chaud humide",
         "Templado cálido húmedo", desc="MAT > 10 °C, " + _MOIST),
    term("warm-temperate-dry", "Warm temperate dry", "Tempéré chaud sec", "Templado cálido seco",
         desc="MAT > 10 °C, " + _DRY),
    term("cool-temperate-moist", "Cool temperate moist", "Tempéré froid humide",
         "Templado frío húmedo", desc="MAT 0-10 °C, " + _MOIST),
    term("cool-temperate-dry", "Cool temperate dry", "Tempéré froid sec", "Templado frío seco",
         desc="MAT 0-10 °C, " + _DRY),
    term("boreal-moist", "Boreal moist", "Boréal humide", "Boreal húmedo",
         desc="MAT ≤ 0 °C, some months > 10 °C, " + _MOIST),
    term("boreal-dry", "Boreal dry", "Boréal sec", "Boreal seco",
         desc="MAT ≤ 0 °C, some months > 10 °C, " + _DRY),
    term("polar-moist", "Polar moist", "Polaire humide", "Polar húmedo",
         desc="MAT < 0 °C, all months < 10 °C, " + _MOIST),
    term("polar-dry", "Polar dry", "Polaire sec", "Polar seco",
         desc="MAT < 0 °C, all months < 10 °C, " + _DRY),
)

IPCC_SOIL_CLASSES = (
    term("high-activity-clay", "High-activity clay soils (HAC)",
         "Sols à argiles de forte activité (HAC)", "Suelos con arcillas de alta actividad (HAC)",
         desc="Lightly to moderately weathered soils dominated by 2:1 clay minerals "
              "(e.g. Vertisols, Mollisols, Calcisols, Cambisols, Luvisols)"),
    term("low-activity-clay", "Low-activity clay soils (LAC)",
         "Sols à argiles de faible activité (LAC)", "Suelos con arcillas de baja actividad (LAC)",
         desc="Highly weathered soils dominated by 1:1 clay minerals and iron and aluminium "
              "oxides (e.g. Ferralsols, Acrisols, Lixisols, Nitisols)"),
    term("sandy", "Sandy soils", "Sols sableux", "Suelos arenosos",
         desc="More than 70 % sand and less than 8 % clay (e.g. Arenosols)"),
    term("spodic", "Spodic soils", "Sols spodiques", "Suelos espódicos",
         desc="Soils with strong podzolization (Podzols)"),
    term("volcanic", "Volcanic soils", "Sols volcaniques", "Suelos volcánicos",
         desc="Soils from volcanic ash with allophanic mineralogy (Andosols)"),
    term("wetland", "Wetland soils", "Sols de zones humides", "Suelos de humedales",
         desc="Soils with restricted drainage, periodically flooded and anaerobic (Gleysols)"),
    term("organic", "Organic soils", "Sols organiques", "Suelos orgánicos",
         desc="Peat and muck soils (Histosols)"),
)

LAND_USE = (
    term("cropland", "Cropland", "Terres cultivées", "Tierras de cultivo",
         *wocat("tech_lu_", "cropland"),
         desc="Land used for cultivation of crops (field crops, orchards)"),
    term("grazing-land", "Grazing land", "Pâturages", "Tierras de pastoreo",
         *wocat("tech_lu_", "grazingland"), desc="Land used for animal production"),
    term("forest", "Forest / woodlands", "Forêts / terres boisées", "Bosques / tierras arboladas",
         *wocat("tech_lu_", "forest"),
         desc="Land used mainly for wood production, other forest products, recreation, "
              "protection"),
    # Edition 2015 had "mixed" as a land use; 2018 asks it apart (tech_lu_mixed, a yes/no,
    # with the kind Mf/Mp/Ma/Ms), so every kind of mixed land use maps here too.
    term("mixed", "Mixed (crops / grazing / trees), incl. agroforestry",
         "Mixte (cultures / pâturage / arbres), y compris l'agroforesterie",
         "Mixto (cultivos / pastoreo / árboles), incl. agroforestería",
         *wocat("tech_lu_", "mixed"), "lu_mixed_mf", "Mf", "lu_mixed_mp", "Mp",
         "lu_mixed_ma", "Ma", "lu_mixed_ms", "Ms",
         desc="A mixture of land use types within the same land unit: agroforestry (Mf), "
              "agro-pastoralism (Mp), agro-silvopastoralism (Ma), silvo-pastoralism (Ms)"),
    term("settlements", "Settlements, infrastructure", "Zones d'habitation, infrastructures",
         "Asentamientos, infraestructura", *wocat("tech_lu_", "settlements")),
    term("waterways", "Waterways, waterbodies, wetlands", "Cours d'eau, plans d'eau, zones humides",
         "Cursos de agua, masas de agua, humedales", *wocat("tech_lu_", "waterways")),
    term("mines", "Mines, extractive industries", "Mines, industries extractives",
         "Minas, industrias extractivas", *wocat("tech_lu_", "mines")),
    term("unproductive", "Unproductive land", "Terres improductives", "Tierras improductivas",
         *wocat("tech_lu_", "unproductive")),
    term("other", "Other land use", "Autre utilisation des terres", "Otro uso de la tierra",
         *wocat("tech_lu_", "other"), desc="Recreation areas, etc.", aliases=("Other",)),
)

PURPOSES = (
    term("improve-production", "Improve production", "Améliorer la production",
         "Mejorar la producción", *wocat("main_purpose_", "production"),
         desc="Crop, fodder, wood / fibre, water, energy"),
    term("reduce-land-degradation", "Reduce, prevent, restore land degradation",
         "Réduire, prévenir ou restaurer la dégradation des terres",
         "Reducir, prevenir o restaurar la degradación de la tierra",
         *wocat("main_purpose_", "degradation"), desc="Soil, water, vegetation"),
    term("protect-watershed", "Protect a watershed / downstream areas",
         "Protéger un bassin versant / les zones en aval",
         "Proteger una cuenca / las zonas aguas abajo",
         *wocat("main_purpose_", "protect_watershed"),
         desc="In combination with other practices",
         aliases=("protect a watershed/ downstream areas – in combination with other "
                  "Technologies",)),
    term("conserve-ecosystem", "Conserve ecosystem", "Conserver l'écosystème",
         "Conservar el ecosistema", *wocat("main_purpose_", "conserve_ecosystem")),
    term("preserve-biodiversity", "Preserve / improve biodiversity",
         "Préserver / améliorer la biodiversité", "Preservar / mejorar la biodiversidad",
         *wocat("main_purpose_", "biodiversity")),
    term("reduce-disaster-risk", "Reduce risk of disasters", "Réduire les risques de catastrophe",
         "Reducir el riesgo de desastres", *wocat("main_purpose_", "disasters"),
         desc="E.g. droughts, floods, landslides"),
    term("climate-adaptation", "Adapt to climate change / extremes and their impacts",
         "S'adapter au changement climatique / aux extrêmes et à leurs effets",
         "Adaptarse al cambio climático / a los extremos y sus impactos",
         *wocat("main_purpose_", "adaption"), desc="E.g. resilience to droughts, storms",
         aliases=("adapt to climate change/ extremes and its impacts",)),
    term("climate-mitigation", "Mitigate climate change and its impacts",
         "Atténuer le changement climatique et ses effets",
         "Mitigar el cambio climático y sus impactos", *wocat("main_purpose_", "mitigation"),
         desc="E.g. through carbon sequestration"),
    term("economic-benefit", "Create beneficial economic impact",
         "Créer un impact économique positif", "Generar un impacto económico positivo",
         *wocat("main_purpose_", "economic"),
         desc="E.g. increase income / employment opportunities"),
    term("social-benefit", "Create beneficial social impact", "Créer un impact social positif",
         "Generar un impacto social positivo", *wocat("main_purpose_", "social"),
         desc="E.g. reduce conflicts on natural resources, support marginalized groups"),
)

BASIS = (
    term("field_experience", "Field experience", "Expérience de terrain", "Experiencia de campo"),
    term("scientific", "Scientific evidence", "Preuves scientifiques", "Evidencia científica"),
    term("both", "Field experience and scientific evidence",
         "Expérience de terrain et preuves scientifiques",
         "Experiencia de campo y evidencia científica", aliases=("Both",)),
)


def _masl(code: str, suffix: str, en: str, fr_es: str) -> Term:
    return term(code, f"{en} m a.s.l.", f"{fr_es} m d'altitude", f"{fr_es} m s. n. m.",
                *wocat("tech_altitudinalzone_", suffix))


ALTITUDE = (
    _masl("0-100", "0_100", "0-100", "0-100"),
    _masl("101-500", "100_500", "101-500", "101-500"),
    _masl("501-1000", "500_1000", "501-1,000", "501-1000"),
    _masl("1001-1500", "1000_1500", "1,001-1,500", "1001-1500"),
    _masl("1501-2000", "1500_2000", "1,501-2,000", "1501-2000"),
    _masl("2001-2500", "2000_2500", "2,001-2,500", "2001-2500"),
    _masl("2501-3000", "2500_3000", "2,501-3,000", "2501-3000"),
    _masl("3001-4000", "3000_4000", "3,001-4,000", "3001-4000"),
    _masl("over-4000", "4000_plus", "> 4,000", "> 4000"),
)

SLOPE = (
    term("flat", "Flat (0-2 %)", "Plate (0-2 %)", "Plana (0-2 %)", *wocat("tech_slopes_", "flat")),
    term("gentle", "Gentle (3-5 %)", "Douce (3-5 %)", "Suave (3-5 %)",
         *wocat("tech_slopes_", "gentle")),
    term("moderate", "Moderate (6-10 %)", "Modérée (6-10 %)", "Moderada (6-10 %)",
         *wocat("tech_slopes_", "moderate")),
    term("rolling", "Rolling (11-15 %)", "Ondulée (11-15 %)", "Ondulada (11-15 %)",
         *wocat("tech_slopes_", "rolling")),
    term("hilly", "Hilly (16-30 %)", "Vallonnée (16-30 %)", "Accidentada (16-30 %)",
         *wocat("tech_slopes_", "hilly")),
    term("steep", "Steep (31-60 %)", "Forte (31-60 %)", "Empinada (31-60 %)",
         *wocat("tech_slopes_", "steep")),
    term("very-steep", "Very steep (> 60 %)", "Très forte (> 60 %)", "Muy empinada (> 60 %)",
         *wocat("tech_slopes_", "verysteep")),
)


def _mm(code: str, suffix: str, en: str, fr_es: str) -> Term:
    return term(code, f"{en} mm", f"{fr_es} mm", f"{fr_es} mm", *wocat("tech_rainfall_", suffix))


RAINFALL_CLASSES = (
    _mm("under-250", "less_250", "< 250", "< 250"),
    _mm("251-500", "251_500", "251-500", "251-500"),
    _mm("501-750", "501_750", "501-750", "501-750"),
    _mm("751-1000", "751_1000", "751-1,000", "751-1000"),
    _mm("1001-1500", "1001_1500", "1,001-1,500", "1001-1500"),
    _mm("1501-2000", "1501_2000", "1,501-2,000", "1501-2000"),
    _mm("2001-3000", "2001_3000", "2,001-3,000", "2001-3000"),
    _mm("3001-4000", "3001_4000", "3,001-4,000", "3001-4000"),
    _mm("over-4000", "4001_plus", "> 4,000", "> 4000"),
)

SOIL_TEXTURE = (
    term("coarse", "Coarse / light (sandy)", "Grossière / légère (sableuse)",
         "Gruesa / ligera (arenosa)", *wocat("tech_soil_texture_", "coarse")),
    term("medium", "Medium (loamy, silty)", "Moyenne (franche, limoneuse)",
         "Media (franca, limosa)", *wocat("tech_soil_texture_", "medium")),
    term("fine", "Fine / heavy (clay)", "Fine / lourde (argileuse)", "Fina / pesada (arcillosa)",
         *wocat("tech_soil_texture_", "fine")),
)

SOIL_DEPTH = (
    term("very-shallow", "Very shallow (0-20 cm)", "Très superficiel (0-20 cm)",
         "Muy superficial (0-20 cm)", *wocat("tech_soil_depth_", "veryshallow")),
    term("shallow", "Shallow (21-50 cm)", "Superficiel (21-50 cm)", "Superficial (21-50 cm)",
         *wocat("tech_soil_depth_", "shallow")),
    term("moderately-deep", "Moderately deep (51-80 cm)", "Moyennement profond (51-80 cm)",
         "Moderadamente profundo (51-80 cm)", *wocat("tech_soil_depth_", "moderatelydeep")),
    term("deep", "Deep (81-120 cm)", "Profond (81-120 cm)", "Profundo (81-120 cm)",
         *wocat("tech_soil_depth_", "deep")),
    term("very-deep", "Very deep (> 120 cm)", "Très profond (> 120 cm)",
         "Muy profundo (> 120 cm)", *wocat("tech_soil_depth_", "verydeep")),
)

TOPSOIL_ORGANIC_MATTER = (
    term("low", "Low (< 1 %)", "Faible (< 1 %)", "Bajo (< 1 %)",
         *wocat("tech_topsoil_organic_", "low")),
    term("medium", "Medium (1-3 %)", "Moyenne (1-3 %)", "Medio (1-3 %)",
         *wocat("tech_topsoil_organic_", "medium")),
    term("high", "High (> 3 %)", "Élevée (> 3 %)", "Alto (> 3 %)",
         *wocat("tech_topsoil_organic_", "high")),
)

LICENSE_URLS = {
    "cc-by-4.0": "https://creativecommons.org/licenses/by/4.0/",
    "cc-by-sa-4.0": "https://creativecommons.org/licenses/by-sa/4.0/",
    "cc-by-nc-sa-3.0": "https://creativecommons.org/licenses/by-nc-sa/3.0/",
    "cc0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
}

LICENSES = (
    term("cc-by-4.0", "CC BY 4.0 (Attribution)", "CC BY 4.0 (Attribution)",
         "CC BY 4.0 (Atribución)", aliases=("Creative Commons Attribution 4.0 International",)),
    term("cc-by-sa-4.0", "CC BY-SA 4.0 (Attribution-ShareAlike)",
         "CC BY-SA 4.0 (Attribution - Partage dans les mêmes conditions)",
         "CC BY-SA 4.0 (Atribución-CompartirIgual)",
         aliases=("Creative Commons Attribution-ShareAlike 4.0 International",)),
    # The licence of WOCAT content (qcat terms of agreement): imported WOCAT sheets keep it.
    term("cc-by-nc-sa-3.0", "CC BY-NC-SA 3.0 (Attribution-NonCommercial-ShareAlike)",
         "CC BY-NC-SA 3.0 (Attribution - Pas d'utilisation commerciale - Partage dans les "
         "mêmes conditions)", "CC BY-NC-SA 3.0 (Atribución-NoComercial-CompartirIgual)",
         aliases=("Creative Commons Attribution-NonCommercial-ShareAlike 3.0 Unported",)),
    term("cc0-1.0", "CC0 1.0 (public domain dedication)",
         "CC0 1.0 (transfert dans le domaine public)",
         "CC0 1.0 (dedicación al dominio público)",
         aliases=("CC0", "Creative Commons Zero 1.0 Universal")),
)

"""WOCAT on-site impact indicators, scored from -3 (very negative) to +3 (very positive).

The soil-organic-matter indicator is the one the 4 per 1000 community looks at first,
so it leads the list.
"""

IMPACT_INDICATORS: dict[str, dict[str, str]] = {
    "soil_organic_matter": {"en": "Soil organic matter / below-ground C",
                            "fr": "Matière organique du sol / C souterrain",
                            "es": "Materia orgánica del suelo / C subterráneo"},
    "biomass": {"en": "Biomass / above-ground C", "fr": "Biomasse / C aérien",
                "es": "Biomasa / C aéreo"},
    "crop_production": {"en": "Crop production", "fr": "Production agricole",
                        "es": "Producción de cultivos"},
    "fodder_production": {"en": "Fodder production", "fr": "Production fourragère",
                          "es": "Producción de forraje"},
    "wood_production": {"en": "Wood production", "fr": "Production de bois",
                        "es": "Producción de madera"},
    "farm_income": {"en": "Farm income", "fr": "Revenu agricole", "es": "Ingreso agrícola"},
    "workload": {"en": "Workload", "fr": "Charge de travail", "es": "Carga de trabajo"},
    "soil_moisture": {"en": "Soil moisture", "fr": "Humidité du sol", "es": "Humedad del suelo"},
    "soil_cover": {"en": "Soil cover", "fr": "Couverture du sol", "es": "Cobertura del suelo"},
    "soil_loss": {"en": "Soil loss (reduced is positive)",
                  "fr": "Perte de sol (réduite = positif)",
                  "es": "Pérdida de suelo (reducida = positivo)"},
    "nutrient_cycling": {"en": "Nutrient cycling", "fr": "Cycle des nutriments",
                         "es": "Ciclo de nutrientes"},
    "vegetation_cover": {"en": "Vegetation cover", "fr": "Couvert végétal",
                         "es": "Cobertura vegetal"},
    "plant_diversity": {"en": "Plant diversity", "fr": "Diversité végétale",
                        "es": "Diversidad vegetal"},
    "surface_runoff": {"en": "Surface runoff (reduced is positive)",
                       "fr": "Ruissellement (réduit = positif)",
                       "es": "Escorrentía (reducida = positivo)"},
    "water_availability": {"en": "Water availability", "fr": "Disponibilité en eau",
                           "es": "Disponibilidad de agua"},
    "drought_impacts": {"en": "Drought impacts (reduced is positive)",
                        "fr": "Effets des sécheresses (réduits = positif)",
                        "es": "Impactos de la sequía (reducidos = positivo)"},
    "emission_of_carbon": {"en": "Emission of carbon and greenhouse gases (reduced is positive)",
                           "fr": "Émissions de carbone et de GES (réduites = positif)",
                           "es": "Emisiones de carbono y GEI (reducidas = positivo)"},
}


def impact_label(indicator: str, lang: str = "en") -> str:
    labels = IMPACT_INDICATORS.get(indicator)
    if not labels:
        return indicator.replace("_", " ")
    return labels.get(lang) or labels["en"]

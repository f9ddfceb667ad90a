"""The "4 per 1000" estimator through the API: `GET /api/v1/carbon/estimate` (issue 13)."""

from flask import request

from practices import carbon
from wiki.api import bp
from wiki.api.errors import ApiError
from wiki.api.schemas import CarbonErrorResponse, CarbonEstimateOut, CarbonQuery
from wiki.api.spec import api_spec, responses
from wiki.carbon import carbon_problem

TAGS = ("carbon",)
UNPROCESSABLE = (
    CarbonErrorResponse,
    "No IPCC default for this case (`no_ipcc_default`), or "
    "an unknown code or level (`invalid_fields`)",
)


@bp.get("/carbon/estimate")
@api_spec.validate(
    query=CarbonQuery,
    resp=responses({200: CarbonEstimateOut, 422: UNPROCESSABLE}, 400),
    tags=TAGS,
    operation_id="estimateCarbon",
    validation_error_status=400,
)
def estimate_carbon():
    """Estimate the soil carbon a change of management stores (IPCC Tier 1)

    SOC_REF (Table 2.3) × F_LU × F_MG × F_I (Table 5.5 for cropland, 6.2 for grazing land),
    0–30 cm, the change spread over 20 years; the rate in ‰ per year of the baseline stock,
    compared with the "4 per 1000" target; every table cell used, with its page. Where the
    IPCC tables have no default the answer is 422 `no_ipcc_default` with the reason, never a
    value borrowed from another row or edition.
    """
    query = request.context.query
    try:
        result = carbon.estimate(
            climate_zone=query.climate_zone,
            soil_class=query.soil_class,
            land_use=query.land_use,
            baseline=query.baseline,
            practice=query.practice,
            area_ha=query.area_ha,
            edition=query.edition or carbon.DEFAULT_EDITION,
        )
    except carbon.EstimateError as error:
        message = carbon_problem(error)
        raise ApiError(
            422, message, code="invalid_fields", fields={error.field or "query": message}
        ) from None
    except carbon.NoDefault as answer:
        raise ApiError(
            422,
            carbon_problem(answer),
            code="no_ipcc_default",
            extra={"no_default": {"kind": answer.kind, "table": answer.table, "cell": answer.cell}},
        ) from None
    return CarbonEstimateOut(**result.to_dict())

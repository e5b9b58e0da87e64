"""Money and founder time in one vocabulary, for every page a strategist reads.

The console, the run report, the sweep report and ``metrics.json`` name money the same way:
income by source — *entry fees* (``income_fees``), *VIP payments* (``income_vip``; the two
make the run's ``revenue``) and *ad slots* (ads sold under a quota, the flash market of seed 001 L99) — then *costs* and
*net* (income − costs), in yuan. Ad-slot income rests on one assumption, the price of a slot
(``costs.ad_slot_price``), so wherever it is part of the money it is said so, with the price.
Founder time is hours a day, a week and in total.

The sum of the sources is the model's own ``income_total`` (sim/processes/costs.py): ad-slot
income is derived here as ``income_total − revenue``, which the simulation does not change.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

#: The derived outcome: income from ad slots sold under a quota (yuan).
AD_SLOTS = "income_ad_slots"
#: The outcomes the words are made of (means over a strategy's runs in a sweep).
KEYS = ("revenue", "income_fees", "income_vip", "income_total", "costs_total", "net_revenue", "founder_hours_per_day", "founder_hours_total")
#: Share of runs that became ad groups above which a strategy's ad-slot income is "being an
#: ad group" (the trade-off never calls it efficient: analysis/recommend.py).
AD_GROUP_MAJORITY = 0.5


def with_money(outcomes: Any) -> Any:
    """``outcomes`` (a run's dict, or a sweep's table) with ``income_ad_slots`` added."""
    if "income_total" in outcomes and "revenue" in outcomes:
        outcomes[AD_SLOTS] = outcomes["income_total"] - outcomes["revenue"]
    return outcomes


def yuan(v: float) -> str:
    """'¥5,470', '−¥1,349' (a loss), '–' (not reported)."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    return f"{'−' if round(v) < 0 else ''}¥{abs(v):,.0f}"


def money_words(o: Mapping[str, Any], ad_slot_price: float | None = None) -> str:
    """'income ¥5,470 (entry fees ¥0, VIP ¥0; ad slots ¥5,470 at an assumed ¥10 a slot,
    costs.ad_slot_price), costs ¥0, net ¥5,470'."""
    sources = money_sources(o)
    if "income_total" not in o:
        return f"income {yuan(o.get('revenue'))} ({sources})"
    ads = o["income_total"] - o["revenue"]
    price = f" at an assumed ¥{ad_slot_price:g} a slot, costs.ad_slot_price" if ad_slot_price is not None else ""
    slots = f"; ad slots {yuan(ads)}{price if ads else ''}"
    return (f"income {yuan(o['income_total'])} ({sources}{slots}), "
            f"costs {yuan(o.get('costs_total'))}, net {yuan(o.get('net_revenue'))}")


def money_sources(o: Mapping[str, Any]) -> str:
    """'entry fees ¥6,500, VIP ¥1,188' (or the two together where a table predates the split)."""
    if "income_fees" in o and "income_vip" in o:
        return f"entry fees {yuan(o['income_fees'])}, VIP {yuan(o['income_vip'])}"
    return f"fees and VIP {yuan(o.get('revenue'))}"


def hours_words(o: Mapping[str, Any]) -> str:
    """'founder 0.4 h a day (2.8 h a week, 140 h in all)'."""
    per_day = o.get("founder_hours_per_day")
    if per_day is None or (isinstance(per_day, float) and math.isnan(per_day)):
        return "founder hours not reported"
    return (f"founder {per_day:.1f} h a day ({per_day * 7:.1f} h a week, "
            f"{o.get('founder_hours_total', math.nan):,.0f} h in all)")


def ad_slot_assumption(price: float, share: float, who: str) -> str:
    """The sentence a page adds wherever ad-slot income is part of an answer."""
    return (f"each ad allowed under a quota is sold as a flash-market slot for ¥{price:g} (costs.ad_slot_price, "
            f"an assumption: seed 001 L99 names the income, not the price); that is {share:.0%} of {who}'s "
            "income. Set costs.ad_slot_price=0 to leave it out")

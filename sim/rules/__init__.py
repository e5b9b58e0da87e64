"""The model's rules, each written once, for both engines.

One module per rule family: :mod:`~sim.rules.leaving` (muting, the leave hazard, the reason
given), :mod:`~sim.rules.dormancy` (who stays asleep instead of leaving, who wakes), :mod:`~sim.rules.visiting` (the visit and talk chances), :mod:`~sim.rules.posting`
(posting and reply rates), :mod:`~sim.rules.satisfaction` (what reading is worth, how
satisfaction and the group's quality move), :mod:`~sim.rules.roles` (who rises, buys,
advertises), :mod:`~sim.rules.lifecycle` (the health indicators and the phase verdict),
:mod:`~sim.rules.content` (the founder's rhythm, red packets), :mod:`~sim.rules.needs` (the
need's drift and expiry), :mod:`~sim.rules.costs` (founder hours, cost, income),
:mod:`~sim.rules.arrivals` (traits, invited fit, spam, review, welcome),
:mod:`~sim.rules.moderation` (capacity, what is handled), :mod:`~sim.rules.topics` (heat),
:mod:`~sim.rules.outreach` (the admin's private chats, endorsements and answers: levers),
:mod:`~sim.rules.conduct` (how strict the rules are: a lever), :mod:`~sim.rules.checkins`
(check-in streaks, rewards and badges, with habituation: a lever), :mod:`~sim.rules.real_name`
(real-name entry: a lever), :mod:`~sim.rules.meetups` (offline meet-ups by KOLs: a lever),
:mod:`~sim.rules.cast` (a seed cast of talkers and connectors: a lever).

A rule is plain arithmetic on its inputs and a parameter section, written once. The vector
engine calls it on ``(R, N)`` members or flat selections (``sim/vector/day.py``), with the
parameters as columns (``Columns(T.churn)``); the Mesa engine calls the same code per member
on floats, through :mod:`sim.rules.floats` (``sim/processes/``). The few functions beyond
operators come from :mod:`~sim.rules.elementwise`: numpy's on arrays, ``math``'s and the
builtins on floats. The processes decide who and when; the rules say how much.

Where the engines differ, on purpose
------------------------------------
- **Same-day order.** The Mesa engine walks members one after another, in a random order,
  and a later member sees what an earlier one did the same day (a tie reply heard at once, a
  seat taken); the vector engine lets everyone act on the state at the start of each step.
  The equivalence tests (tests/vector) measure the difference as ensembles, not bits.
- **Draw order.** The Mesa engine draws from one generator in the order it visits members;
  the vector engine draws each member's uniforms from counter-based streams
  (``sim/vector/streams.py``), so a member's draw does not depend on who else is present.
  Same distributions, different numbers: runs match across engines in distribution only.
- **Floating point.** A rule gives the same value on a float and on an array element except
  where ``exp``, ``log`` or a power enter: the C library's on a float, numpy's vectorised ones
  on an array differ in the last bit for a few per cent of arguments. Each engine keeps the
  functions it always used, so each keeps its own runs bit for bit.
  Outside the rules the engines still sum four things in different orders, the same value
  up to the last bit; each is marked where it is, and is kept so that both engines' runs stay
  bit for bit as they were (making them one moves one engine's fingerprints):

  ======================  ===========================================  =============================================
  quantity                Mesa (``processes/``)                        vector (``vector/day.py``)
  ======================  ===========================================  =============================================
  value read V            valuable·share + w·(content·share)·exp.      valuable·share + ((w·content)·share)·exp.
  ad cost                 ad_cost · (ads · share)                      (ad_cost · ads) · share
  utility                 gain − overload − ads − noise − fatigue      gain − (overload + ads + fatigue + boredom)
                          − boredom                                    − noise
  KOLs' quality today     valuable / talk + w · content / talk         (valuable + w · content) / talk
  ======================  ===========================================  =============================================
"""

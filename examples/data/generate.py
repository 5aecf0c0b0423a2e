"""Regenerates the bundled sample estate (翠湖苑, Cuihu Garden): units.csv and ballots.csv.

Deterministic (fixed seed). Six buildings, 332 units with registry-style areas
(four decimals where the survey gave them), owners holding two units, units the
developer has not sold or delivered, and a ballot set for one vote with the
usual mess: paper ballots re-cast online, a proxy without its authorization,
a ballot for a unit that does not exist, late ballots, and one owner whose two
units voted differently.

Run: python3 examples/data/generate.py
"""
import csv
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(20260401)

# (building, floors, units per floor, base areas per position)
BUILDINGS = [
    ("1", 18, 4, ["89.62", "118.35", "118.35", "89.62"]),
    ("2", 18, 4, ["89.62", "118.35", "118.35", "89.62"]),
    ("3", 18, 4, ["96.40", "136.71", "136.71", "96.40"]),
    ("4", 18, 4, ["96.40", "136.71", "136.71", "96.40"]),
    ("5", 11, 2, ["143.08", "143.08"]),
    ("6", 11, 2, ["168.25", "168.25"]),
]

units = []
for building, floors, per_floor, areas in BUILDINGS:
    for floor in range(1, floors + 1):
        for pos in range(per_floor):
            uid = f"{building}-{floor}{pos + 1:02d}"
            base = int(areas[pos].replace(".", "")) * 100  # ten-thousandths
            # registry areas differ slightly unit to unit (survey results)
            delta = rng.choice([0, 0, 0, 0, 37, -52, 118, -6, 1203, -845])
            area = base + delta
            units.append({"id": uid, "building": building, "area": area})


def fmt_area(v):
    s = f"{v // 10000}.{v % 10000:04d}".rstrip("0").rstrip(".")
    return s


owner_no = 0
i = 0
rows = []
while i < len(units):
    u = units[i]
    owner_no += 1
    owner = f"O-{owner_no:04d}"
    # about 4% of owners hold two neighbouring units
    take = 2 if (rng.random() < 0.04 and i + 1 < len(units) and units[i + 1]["building"] == u["building"]) else 1
    for j in range(take):
        rows.append({**units[i + j], "owner": owner, "status": "owned"})
    i += take

# building 6, top floors: developer still holds 8 units; 3 sold but not delivered
for r in rows:
    if r["building"] == "6" and r["id"] in {"6-801", "6-802", "6-901", "6-902", "6-1001", "6-1002", "6-1101", "6-1102"}:
        r["owner"], r["status"] = "", "developer_unsold"
    if r["id"] in {"6-701", "6-702", "5-1102"}:
        r["status"] = "undelivered"

with open(os.path.join(HERE, "units.csv"), "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["id", "building", "area", "owner", "status"])
    for r in rows:
        w.writerow([r["id"], r["building"], fmt_area(r["area"]), r["owner"], r["status"]])

# One vote: hire a new property manager (民法典 278 item 4), whole estate,
# window 2026-04-01 00:00 to 2026-04-30 24:00 (+08:00).
ballots = []


def at(day, hour, minute):
    return f"2026-04-{day:02d}T{hour:02d}:{minute:02d}:00+08:00"


owner_choice = {}
for r in rows:
    if r["status"] != "owned":
        continue
    if rng.random() < 0.78:  # turnout
        # an owner of two units votes the same way with both
        choice = owner_choice.setdefault(r["owner"], rng.choices(["agree", "against", "abstain"], weights=[70, 22, 8])[0])
        channel = rng.choices(["online", "paper", "proxy"], weights=[80, 15, 5])[0]
        auth = f"委托书-{rng.randrange(1000, 9999)}" if channel == "proxy" else ""
        ballots.append([r["id"], choice, channel, at(rng.randrange(1, 30), rng.randrange(8, 22), rng.randrange(60)), auth])

# the mess
ballots.append(["3-503", "agree", "online", at(29, 20, 15), ""])      # re-cast below
ballots.append(["3-503", "against", "paper", at(30, 9, 0), ""])       # latest wins
ballots.append(["2-1203", "agree", "proxy", at(12, 10, 0), ""])       # proxy, no authorization
ballots.append(["7-101", "agree", "online", at(3, 9, 30), ""])        # no building 7
ballots.append(["4-1602", "against", "online", "2026-05-01T00:00:01+08:00", ""])  # after close
ballots.append(["1-1801", "agree", "online", "2026-03-31T23:59:59+08:00", ""])    # before open
# an owner with two units who voted both ways
two = [r for r in rows if r["status"] == "owned"]
pairs = {}
for r in two:
    pairs.setdefault(r["owner"], []).append(r["id"])
conflicted = next(ids for o, ids in sorted(pairs.items()) if len(ids) == 2)
ballots = [b for b in ballots if b[0] not in conflicted]
ballots.append([conflicted[0], "agree", "online", at(10, 10, 0), ""])
ballots.append([conflicted[1], "against", "paper", at(11, 10, 0), ""])

with open(os.path.join(HERE, "ballots.csv"), "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["unit", "choice", "channel", "cast_at", "authorization"])
    w.writerows(ballots)

print(f"{len(rows)} units, {owner_no} named owners, {len(ballots)} ballots")

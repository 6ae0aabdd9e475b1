"""Teams of reps: who may see and change whose data, and what that costs.

`rules` is the authorization of rep, manager and admin; `service` stores people and their
managers; `audit` records who read or changed whose data; `privacy` exports and forgets a
person; `limits` holds the per-user rate and per-tenant token budgets.
"""

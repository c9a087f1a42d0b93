"""What vaultkit shows and writes: JSON records, terminal tables and cards, and
(later) calendars, dashboards and notes from templates. Builds on `vaultkit.domain`.
"""

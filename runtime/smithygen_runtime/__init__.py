"""Hand-written runtime imported by every package smithygen generates."""

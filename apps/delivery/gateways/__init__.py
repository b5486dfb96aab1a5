"""Gateways: one class per vendor and channel (``<channel>/<vendor>.py``); see base.py."""

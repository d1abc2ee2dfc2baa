"""The bottom floor: small helpers for text and forms that every app may use, and that use no app."""

"""The policies the sandbox ships: consumer credit and merchant onboarding (KYB)."""

"""The career-search model over the vault index: contacts, organizations,
interviews, the referral graph and the checks on them. Builds on `vaultkit.vault`.
"""

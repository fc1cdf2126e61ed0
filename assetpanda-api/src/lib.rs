//! A typed async client for the Asset Panda REST API (v3).

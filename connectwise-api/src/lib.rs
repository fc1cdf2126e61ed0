//! A typed async client for the ConnectWise Manage (PSA) REST API 3.0.

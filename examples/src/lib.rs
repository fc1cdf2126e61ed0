//! Adapters that make the ConnectWise and Asset Panda clients a source and a sink for the
//! sync engine, shared by the programs in `src/bin/`.

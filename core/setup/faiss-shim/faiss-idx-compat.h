// FAISS 1.7.3 (Debian 12's libfaiss-dev) has Index::idx_t but not the namespace-level faiss::idx_t that
// faiss-node 0.5.1 expects; newer FAISS defines it, so this header is only force-included by the shim.
#pragma once
#include <faiss/Index.h>
namespace faiss { using idx_t = Index::idx_t; }

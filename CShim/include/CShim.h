// CShim: the fork-safe primitives under the Multiprocessing library.
// Every function says why it is in C; shared-memory structures are opaque (size, alignment, init-at).
#pragma once
#include "cshim_base.h"
#include "cshim_shm.h"
#include "cshim_mutex.h"
#include "cshim_wake.h"
#include "cshim_process.h"
#include "cshim_spawn.h"
#include "cshim_ring.h"
#include "cshim_queue.h"
#include "cshim_sync.h"
#include "cshim_shmheap.h"
#include "cshim_coro.h"

#ifndef OASST_PREFETCH_H
#define OASST_PREFETCH_H

/* A hint to bring the cache line at `address` close to the core, for reads. Swift has no spelling for
   it; the kernels that read several weight rows at once use it to stream the rows they read next. */
static inline void oasst_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif

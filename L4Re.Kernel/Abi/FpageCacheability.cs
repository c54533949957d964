namespace L4Re.Kernel.Abi;

/// <summary>
/// Cacheability options of a memory send item (<c>l4_fpage_cacheability_opt_t</c>), placed in
/// bits 4–7 of the control word by <see cref="SndItem.Map"/>. Without <see cref="CacheOpt"/> the
/// receiver inherits the sender's attributes.
/// </summary>
/// <remarks>Source: l4re-core l4sys/include/__l4_fpage.h.</remarks>
public enum FpageCacheability : byte
{
    /// <summary>Inherit the sender's memory attributes.</summary>
    Inherit = 0,
    /// <summary><c>L4_FPAGE_CACHE_OPT</c>: the option is set; with no other bit, uncached.</summary>
    CacheOpt = 0x1,
    /// <summary><c>L4_FPAGE_UNCACHEABLE</c> (= <see cref="CacheOpt"/>): uncached.</summary>
    Uncacheable = 0x1,
    /// <summary><c>L4_FPAGE_CACHEABLE</c>.</summary>
    Cacheable = 0x3,
    /// <summary><c>L4_FPAGE_BUFFERABLE</c>.</summary>
    Bufferable = 0x5,
}

namespace L4Re.Kernel.Abi;

/// <summary>
/// The map mask of an unmap (<c>l4_unmap_flags_t</c>, Fiasco's <c>L4_map_mask</c>): by default only
/// the mappings derived from the caller's are revoked; <see cref="AllSpaces"/> includes the caller's
/// own mapping and <see cref="DeleteObj"/> additionally deletes an object the caller may delete.
/// </summary>
/// <remarks>Source: l4re-core l4sys/include/consts.h; fiasco src/abi/l4_types.cpp.</remarks>
[Flags]
public enum UnmapFlags : uint
{
    /// <summary><c>L4_FP_OTHER_SPACES</c>: revoke from child mappings only.</summary>
    OtherSpaces = 0,
    /// <summary>Bit 30 of the mask: delete the object (only meaningful together with <see cref="AllSpaces"/>).</summary>
    DeleteBit = 0x40000000,
    /// <summary><c>L4_FP_ALL_SPACES</c>: also revoke the caller's own mapping.</summary>
    AllSpaces = 0x80000000,
    /// <summary><c>L4_FP_DELETE_OBJ</c>: revoke everywhere and delete the object when the capability has D.</summary>
    DeleteObj = 0xC0000000,
}

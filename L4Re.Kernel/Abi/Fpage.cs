namespace L4Re.Kernel.Abi;

/// <summary>
/// A flexpage word (<c>l4_fpage_t</c>): a naturally aligned, power-of-two sized region of a memory,
/// I/O-port or object space. Rights in bits 0–3, type in bits 4–5, order (log2 of the size) in bits
/// 6–11 and the address / port / capability index from bit 12.
/// </summary>
/// <remarks>Source: l4re-core l4sys/include/__l4_fpage.h; fiasco src/abi/l4_fpage.cpp.</remarks>
public readonly record struct Fpage(ulong Raw)
{
    /// <summary><c>L4_FPAGE_TYPE_SHIFT</c>.</summary>
    public const int TypeShift = 4;
    /// <summary><c>L4_FPAGE_SIZE_SHIFT</c>.</summary>
    public const int OrderShift = 6;
    /// <summary><c>L4_FPAGE_ADDR_SHIFT</c>.</summary>
    public const int AddressShift = 12;
    /// <summary><c>L4_FPAGE_RIGHTS_MASK</c>.</summary>
    public const ulong RightsMask = 0xf;
    /// <summary><c>L4_FPAGE_ADDR_MASK</c>.</summary>
    public const ulong AddressMask = ~0UL << AddressShift;
    /// <summary><c>L4_WHOLE_ADDRESS_SPACE</c>: the order of <see cref="All"/>.</summary>
    public const int WholeAddressSpace = 63;
    /// <summary><c>L4_WHOLE_IOADDRESS_SPACE</c>: the order covering all 65,536 I/O ports.</summary>
    public const int WholeIoSpace = 16;
    /// <summary>The order of one memory page (4 KiB).</summary>
    public const int PageOrder = 12;

    /// <summary><c>l4_fpage_all()</c>: type special, order 63 — "every space", e.g. a receive window accepting anything.</summary>
    public static Fpage All => new((ulong)WholeAddressSpace << OrderShift);

    /// <summary><c>l4_fpage_invalid()</c>: the all-zero word.</summary>
    public static Fpage Invalid => new(0);

    /// <summary><c>l4_fpage(address, order, rights)</c>: a memory flexpage.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The order is not in 12..63.</exception>
    public static Fpage Memory(ulong address, int order, MemRights rights)
    {
        if (order is < PageOrder or > WholeAddressSpace)
            throw new ArgumentOutOfRangeException(nameof(order), order, "a memory flexpage has an order of 12 (4 KiB) to 63");
        return Make(address, FpageType.Memory, order, (byte)rights);
    }

    /// <summary><c>l4_iofpage(port, order)</c>: an I/O-port flexpage (always RW).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The order exceeds 16 or the range leaves the 64 Ki port space.</exception>
    public static Fpage Io(ulong port, int order)
    {
        if (order is < 0 or > WholeIoSpace || port + (1UL << order) > (1UL << WholeIoSpace))
            throw new ArgumentOutOfRangeException(nameof(order), order, "an I/O flexpage covers ports below 65536 with an order of at most 16");
        return Make(port << AddressShift, FpageType.Io, order, (byte)MemRights.RW);
    }

    /// <summary><c>l4_obj_fpage(cap, order, rights)</c>: an object flexpage covering 2^order capability slots from <paramref name="cap"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The order is not in 0..63.</exception>
    public static Fpage Obj(CapSel cap, int order, CapRights rights)
    {
        if (order is < 0 or > WholeAddressSpace)
            throw new ArgumentOutOfRangeException(nameof(order), order, "an object flexpage has an order of 0 to 63");
        return Make(cap.Raw, FpageType.Obj, order, (byte)rights);
    }

    /// <summary>An object flexpage of one capability slot.</summary>
    public static Fpage Obj(CapSel cap, CapRights rights = CapRights.RWSD) => Obj(cap, 0, rights);

    private static Fpage Make(ulong address, FpageType type, int order, byte rights) =>
        new((rights & RightsMask) | ((ulong)type << TypeShift) | (((ulong)order & 0x3f) << OrderShift) | (address & AddressMask));

    /// <summary>The type (bits 4–5).</summary>
    public FpageType Type => (FpageType)((Raw >> TypeShift) & 3);

    /// <summary>The order, log2 of the size in bytes / ports / slots (bits 6–11).</summary>
    public int Order => (int)((Raw >> OrderShift) & 0x3f);

    /// <summary>The rights bits (0–3) as raw value.</summary>
    public byte RightsBits => (byte)(Raw & RightsMask);

    /// <summary>The rights read as memory rights.</summary>
    public MemRights MemRights => (MemRights)(Raw & 7);

    /// <summary>The rights read as capability rights.</summary>
    public CapRights CapRights => (CapRights)(Raw & RightsMask);

    /// <summary>The start address of a memory flexpage (<c>l4_fpage_memaddr</c>), not yet aligned to the order.</summary>
    public ulong Address => Raw & AddressMask;

    /// <summary>The page / port / slot number (<c>l4_fpage_page</c>): bits 12 and up.</summary>
    public ulong Page => Raw >> AddressShift;

    /// <summary>The first I/O port of an I/O flexpage (<c>l4_fpage_ioport</c>).</summary>
    public ulong Port => Raw >> AddressShift;

    /// <summary>The first capability index of an object flexpage.</summary>
    public ulong ObjIndex => Raw >> AddressShift;

    /// <summary>True unless the word is <see cref="Invalid"/>-like (<c>l4_is_fpage_valid</c>: not special with order 0).</summary>
    public bool IsValid => Type != FpageType.Special || Order != 0;

    /// <summary>True for <see cref="All"/> (type special, order 63; the kernel's <c>is_all_spaces</c>).</summary>
    public bool IsAll => Type == FpageType.Special && Order == WholeAddressSpace;

    /// <summary>True for a memory flexpage.</summary>
    public bool IsMemory => Type == FpageType.Memory;

    /// <summary>True for an I/O flexpage.</summary>
    public bool IsIo => Type == FpageType.Io;

    /// <summary>True for an object flexpage.</summary>
    public bool IsObj => Type == FpageType.Obj;

    /// <summary>This flexpage with its rights replaced (<c>l4_fpage_set_rights</c>).</summary>
    public Fpage WithRights(byte rights) => new((Raw & ~RightsMask) | (rights & RightsMask));

    /// <summary>True when the flexpage covers the 2^<paramref name="order"/> block at <paramref name="address"/> (<c>l4_fpage_contains</c>).</summary>
    public bool Contains(ulong address, int order)
    {
        UInt128 start = Address;
        return start <= address && start + (UInt128.One << Order) >= (UInt128)address + (UInt128.One << order);
    }

    /// <summary>
    /// Checks the encoding against the rules of the kernel interface and names the first violation:
    /// a special flexpage must have order 0 or 63, a memory flexpage an order of at least 12, an I/O
    /// flexpage an order of at most 16 within the 64 Ki port space.
    /// </summary>
    /// <param name="reason">Why the word is not a well-formed flexpage, or null.</param>
    /// <returns>True when the word is well formed.</returns>
    public bool IsWellFormed(out string? reason)
    {
        reason = Type switch
        {
            FpageType.Special when Order is not (0 or WholeAddressSpace) => $"special flexpage with order {Order} (only 0 = invalid or 63 = all)",
            FpageType.Special when (Raw & AddressMask) != 0 => "special flexpage with address bits set",
            FpageType.Memory when Order < PageOrder => $"memory flexpage with order {Order} below the page size (12)",
            FpageType.Io when Order > WholeIoSpace => $"I/O flexpage with order {Order} above 16",
            FpageType.Io when Port + (1UL << Order) > (1UL << WholeIoSpace) => $"I/O flexpage beyond port 65535 (port {Port}, order {Order})",
            _ => null,
        };
        return reason is null;
    }

    /// <inheritdoc />
    public override string ToString() => Type switch
    {
        FpageType.Special => IsAll ? "fpage:all" : IsValid ? $"fpage:special(order {Order})" : "fpage:invalid",
        FpageType.Memory => $"fpage:mem 0x{Address:x}/{Order} {MemRights}",
        FpageType.Io => $"fpage:io {Port}/{Order}",
        _ => $"fpage:obj {ObjIndex}/{Order} {CapRights}",
    };
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using L4Re.Uvmm.Vz;

namespace L4Re.Uvmm.Mips;

internal sealed unsafe partial class MipsCore
{
    private enum Access : byte { Load, Store, Fetch }

    private SoftTlbSet _set = null!;
    private uint _fetchVa = 3;
    private DecodedPage? _fetchPage;

    /// <summary>True in kernel mode: Status.KSU = 0 or EXL or ERL.</summary>
    private bool KernelMode => (_vz.StatusRaw & (Cp0Bits.StatusEXL | Cp0Bits.StatusERL)) != 0 || (_vz.StatusRaw & Cp0Bits.StatusKSU) == 0;

    /// <summary>Translation context of the current mode: kernel (0), supervisor (1), user (2); ERL; ASID; AT.</summary>
    private ulong TranslationKey()
    {
        var s = _vz.StatusRaw;
        var mode = KernelMode ? 0u : (s >> 3) & 3;
        return mode | (s & Cp0Bits.StatusERL) << 2 | (_vz.EntryHiRaw & Cp0Bits.EntryHiAsid) << 8
            | ((_vz.GuestCtl0Raw >> GuestCtl0Bits.AtShift) & 3) << 16;
    }

    /// <summary>Selects the software-TLB set of the current mode, flushing what became stale.</summary>
    private void SyncTranslation()
    {
        var flushAll = false;
        if (_tlb.Version != _tlbVersionSeen)
        {
            _tlbVersionSeen = _tlb.Version;
            flushAll = true;
        }
        var gen = _stage.Generation;
        if (gen != _stageGenerationSeen)
        {
            _stageGenerationSeen = gen;
            InvalidateAllCode();
        }
        if (flushAll)
        {
            foreach (var s in _softTlb)
                s.Key = ulong.MaxValue;
        }
        var key = TranslationKey();
        var set = _softTlb[KernelMode ? 0 : 1];
        if (set.Key != key)
        {
            set.Flush();
            set.Key = key;
        }
        if (!ReferenceEquals(set, _set))
        {
            _set = set;
        }
        _fetchVa = 3;
        _fetchPage = null;
    }

    /// <summary>Flushes both software-TLB sets (guest TLB or PageGrain changes).</summary>
    private void FlushTranslations()
    {
        foreach (var s in _softTlb)
            s.Key = ulong.MaxValue;
    }

    /// <summary>
    /// Two-stage translation of <paramref name="va"/> (guest segments and guest TLB, then the second stage).
    /// On failure records the fault (guest address error or TLB exception, or a root TLB exit) and returns false.
    /// </summary>
    private bool Translate(uint va, Access access, out byte* hostPage, out uint gpn, out bool writable)
    {
        hostPage = null;
        gpn = 0;
        writable = false;
        var status = _vz.StatusRaw;
        var kernel = KernelMode;
        ulong gpa;
        var rootTranslatesGva = false;
        if (va < 0x8000_0000u)
        {
            if (kernel && (status & Cp0Bits.StatusERL) != 0)
                gpa = va; // kuseg is unmapped and uncached while ERL = 1
            else if (!TranslateMapped(va, access, out gpa, out rootTranslatesGva))
                return false;
        }
        else
        {
            var supervisorSeg = !kernel && (status & Cp0Bits.StatusKSU) == 0x08 && va is >= 0xc000_0000u and < 0xe000_0000u;
            if (!kernel && !supervisorSeg)
                return AddressError(va, access);
            if (va < 0xc000_0000u)
                gpa = va & 0x1fff_ffffu; // kseg0 / kseg1
            else if (!TranslateMapped(va, access, out gpa, out rootTranslatesGva))
                return false;
        }

        // A stage that hands out less than a page is treated as unmapped rather than trusted with raw pointers.
        if (!_stage.TryResolve(gpa, out var page) || page.Memory.Length < L4Re.Kernel.Memory.Dataspace.PageSize)
            return RootTlbFault(access == Access.Store ? ExcCode.TlbS : ExcCode.TlbL, rootTranslatesGva, va, gpa, access);
        if (access == Access.Store && !page.Writable)
            return RootTlbFault(ExcCode.Mod, rootTranslatesGva, va, gpa, access);
        hostPage = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(page.Memory.Span));
        gpn = (uint)(gpa >> 12);
        writable = page.Writable;
        return true;
    }

    /// <summary>Guest TLB lookup (AT = 3), or pass-through to the root (AT = 1: the root TLB maps GVAs).</summary>
    private bool TranslateMapped(uint va, Access access, out ulong gpa, out bool rootTranslatesGva)
    {
        gpa = va;
        rootTranslatesGva = false;
        if (((_vz.GuestCtl0Raw >> GuestCtl0Bits.AtShift) & 3) != 3)
        {
            rootTranslatesGva = true;
            return true;
        }
        var asid = _vz.EntryHiRaw & Cp0Bits.EntryHiAsid;
        var index = _tlb.Find(va, asid);
        if (index < 0)
            return TlbFault(va, access, access == Access.Store ? ExcCode.TlbS : ExcCode.TlbL, refill: true);
        var e = _tlb[index];
        var offsetMask = e.OffsetMask;
        var lo = (va & (offsetMask + 1)) != 0 ? e.EntryLo1 : e.EntryLo0;
        if ((lo & Cp0Bits.EntryLoV) == 0)
            return TlbFault(va, access, access == Access.Store ? ExcCode.TlbS : ExcCode.TlbL, refill: false);
        var grain = _vz.PageGrainRaw;
        var iec = (grain & Cp0Bits.PageGrainIEC) != 0;
        if (access == Access.Fetch && (lo & Cp0Bits.EntryLoXI) != 0 && (grain & Cp0Bits.PageGrainXIE) != 0)
            return TlbFault(va, access, iec ? ExcCode.TlbXI : ExcCode.TlbL, refill: false);
        if (access == Access.Load && (lo & Cp0Bits.EntryLoRI) != 0 && (grain & Cp0Bits.PageGrainRIE) != 0)
            return TlbFault(va, access, iec ? ExcCode.TlbRI : ExcCode.TlbL, refill: false);
        if (access == Access.Store && (lo & Cp0Bits.EntryLoD) == 0)
            return TlbFault(va, access, ExcCode.Mod, refill: false);
        var pfn = (ulong)((lo >> 6) & 0x00ff_ffff) << 12;
        gpa = (pfn & ~(ulong)offsetMask) | (va & offsetMask);
        return true;
    }

    private bool AddressError(uint va, Access access)
    {
        _fault = new Fault
        {
            Kind = FaultKind.Guest,
            Code = access == Access.Store ? ExcCode.AdES : ExcCode.AdEL,
            BadVAddr = va,
            HasBadVAddr = true,
            Fetch = access == Access.Fetch,
        };
        return false;
    }

    private bool TlbFault(uint va, Access access, ExcCode code, bool refill)
    {
        _fault = new Fault
        {
            Kind = FaultKind.Guest,
            Code = code,
            BadVAddr = va,
            HasBadVAddr = true,
            TlbFields = true,
            Refill = refill,
            Fetch = access == Access.Fetch,
        };
        return false;
    }

    private bool RootTlbFault(ExcCode code, bool gva, uint va, ulong gpa, Access access)
    {
        _fault = new Fault
        {
            Kind = FaultKind.RootTlb,
            Code = code,
            GuestExit = gva ? GuestExitCode.Gva : GuestExitCode.Gpa,
            BadVAddr = gva ? va : (uint)gpa,
            HasBadVAddr = true,
            Fetch = access == Access.Fetch,
        };
        return false;
    }

    /// <summary>Load slow path: alignment, translation, software-TLB fill. Returns the host address of <paramref name="va"/> or null (fault recorded).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private byte* LoadSlow(uint va, uint alignMask)
    {
        if ((va & alignMask) != 0)
        {
            AddressError(va, Access.Load);
            return null;
        }
        if (!Translate(va, Access.Load, out var host, out var gpn, out _))
            return null;
        var page = va & ~0xfffu;
        ref var e = ref _set.Read[(va >> 12) & SoftTlbSet.IndexMask];
        e.Tag = page;
        e.Gpn = gpn;
        e.HostMinusVa = (nint)host - (nint)page;
        return host + (va & 0xfff);
    }

    /// <summary>
    /// Store slow path: alignment, translation, code-page watch (stores into decoded code invalidate it),
    /// software-TLB fill for pages without code. Returns the host address of <paramref name="va"/> or null.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private byte* StoreSlow(uint va, uint alignMask, uint length)
    {
        if ((va & alignMask) != 0)
        {
            AddressError(va, Access.Store);
            return null;
        }
        if (!Translate(va, Access.Store, out var host, out var gpn, out _))
            return null;
        var page = va & ~0xfffu;
        if (_code.TryGetValue(gpn, out var code))
        {
            code.Clear(va & 0xfff, length);
            if (++code.WriteHits < DecodedPage.WriteLimit)
                return host + (va & 0xfff);
            Unregister(code);
        }
        ref var e = ref _set.Write[(va >> 12) & SoftTlbSet.IndexMask];
        e.Tag = page;
        e.Gpn = gpn;
        e.HostMinusVa = (nint)host - (nint)page;
        return host + (va & 0xfff);
    }

    /// <summary>
    /// Fetch slow path: finds (or creates and registers) the decoded page for the instruction at <paramref name="pc"/>
    /// and makes it the current fetch page. Returns false with the fault recorded.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool FetchSlow(uint pc)
    {
        if ((pc & 3) != 0)
            return AddressError(pc, Access.Fetch);
        var page = pc & ~0xfffu;
        var idx = (pc >> 12) & SoftTlbSet.IndexMask;
        var set = _set;
        var cached = set.ExecPage[idx];
        if (set.ExecTag[idx] == page && cached is { Registered: true })
        {
            _fetchVa = page;
            _fetchPage = cached;
            return true;
        }
        if (!Translate(pc, Access.Fetch, out var host, out var gpn, out _))
            return false;
        var decoded = GetOrRegisterCode(gpn, host);
        set.ExecTag[idx] = page;
        set.ExecPage[idx] = decoded;
        _fetchVa = page;
        _fetchPage = decoded;
        return true;
    }

    private DecodedPage GetOrRegisterCode(uint gpn, byte* host)
    {
        if (_code.TryGetValue(gpn, out var page))
            return page;
        page = new DecodedPage(gpn, host) { Registered = true };
        _code.Add(gpn, page);
        foreach (var s in _softTlb)
            s.FlushWrites(gpn);
        return page;
    }

    private void Unregister(DecodedPage page)
    {
        page.Registered = false;
        page.Clear();
        _code.Remove(page.Gpn);
        foreach (var s in _softTlb)
            s.FlushExec(page);
    }

    /// <summary>Reads the instruction word at <paramref name="va"/> without side effects (0 when it cannot be fetched).</summary>
    private uint PeekCode(uint va)
    {
        if ((va & 3) != 0)
            return 0;
        var saved = _fault;
        var ok = Translate(va, Access.Fetch, out var host, out _, out _);
        _fault = saved;
        return ok ? *(uint*)(host + (va & 0xfff)) : 0;
    }

    /// <summary>Invalidates the decoded instructions of the cache line containing <paramref name="va"/> (CACHE, SYNCI).</summary>
    private bool InvalidateLine(uint va)
    {
        if (!Translate(va, Access.Load, out _, out var gpn, out _))
            return false;
        if (_code.TryGetValue(gpn, out var page))
            page.Clear(va & 0xfff & ~(P5600Guest.CacheLine - 1), P5600Guest.CacheLine);
        return true;
    }
}

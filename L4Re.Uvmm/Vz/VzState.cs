using L4Re.Uvmm.Mips;

namespace L4Re.Uvmm.Vz;

/// <summary>
/// The VZ state of one vCPU as the VMM sees it: the root-side guest controls (GuestCtl0/0Ext/1/2, GTOffset)
/// and the guest CP0 context, in the shape of Fiasco's <c>l4_vm_state</c> (src/kern/mips/vz.cpp). Every
/// setter stores the value through the register's write mask and records its group in
/// <see cref="ModifiedCp0Map"/>; the engine reloads the modified groups on the next
/// <see cref="Vcpu.Run"/> (re-checks interrupts, flushes translation caches) and clears the map.
/// All state is always current after an exit (Fiasco's <c>current_cp0_map</c> is implicitly all ones).
/// </summary>
public sealed class VzState
{
    internal uint GuestCtl0Raw;
    internal uint GuestCtl0ExtRaw;
    internal uint GuestCtl1Raw;
    internal uint GuestCtl2Raw;
    internal int GtOffsetRaw;

    internal uint IndexRaw;
    internal uint EntryLo0Raw;
    internal uint EntryLo1Raw;
    internal uint ContextRaw;
    internal uint UserLocalRaw;
    internal uint PageMaskRaw;
    internal uint PageGrainRaw;
    internal uint WiredRaw;
    internal uint HwrEnaRaw;
    internal uint BadVAddrRaw;
    internal uint BadInstrRaw;
    internal uint BadInstrPRaw;
    internal uint EntryHiRaw;
    internal uint CompareRaw;
    internal uint StatusRaw;
    internal uint IntCtlRaw;
    internal uint CauseRaw;
    internal uint EpcRaw;
    internal uint EBaseRaw;
    internal uint ErrorEpcRaw;
    internal bool LlBitRaw;
    internal uint LlAddrRaw;
    internal readonly uint[] ConfigRaw = new uint[6];
    internal readonly uint[] KScratchRaw = new uint[6];

    private readonly bool _fiascoMasks;
    private readonly int _tlbEntries;

    internal VzState(int cpuNum, int tlbEntries, bool fiascoMasks)
    {
        _fiascoMasks = fiascoMasks;
        _tlbEntries = tlbEntries;
        CpuNum = cpuNum;
        Reset();
    }

    /// <summary>The vCPU number reported in EBase.CPUNum and by RDHWR $0.</summary>
    public int CpuNum { get; }

    /// <summary>Groups changed by the VMM since the last resume (Fiasco's <c>modified_cp0_map</c>).</summary>
    public VzStateFields ModifiedCp0Map { get; set; }

    /// <summary>Puts the guest context into its architectural reset state (Status.ERL = BEV = 1, P5600 Config).</summary>
    public void Reset()
    {
        GuestCtl0Raw = GuestCtl0Bits.Default;
        GuestCtl0ExtRaw = 0;
        GuestCtl1Raw = 0;
        GuestCtl2Raw = 0;
        GtOffsetRaw = 0;
        IndexRaw = EntryLo0Raw = EntryLo1Raw = ContextRaw = UserLocalRaw = PageMaskRaw = PageGrainRaw = 0;
        WiredRaw = HwrEnaRaw = BadVAddrRaw = BadInstrRaw = BadInstrPRaw = EntryHiRaw = CompareRaw = 0;
        StatusRaw = P5600Guest.StatusReset;
        IntCtlRaw = P5600Guest.IntCtlReset;
        CauseRaw = 0;
        EpcRaw = ErrorEpcRaw = 0;
        EBaseRaw = P5600Guest.EBaseReset | (uint)(CpuNum & 0x3ff);
        LlBitRaw = false;
        LlAddrRaw = 0;
        ConfigRaw[0] = P5600Guest.Config0;
        ConfigRaw[1] = P5600Guest.Config1(_tlbEntries);
        ConfigRaw[2] = P5600Guest.Config2;
        ConfigRaw[3] = P5600Guest.Config3;
        ConfigRaw[4] = P5600Guest.Config4;
        ConfigRaw[5] = P5600Guest.Config5;
        Array.Clear(KScratchRaw);
        ModifiedCp0Map = VzStateFields.All;
    }

    private void Mark(VzStateFields f) => ModifiedCp0Map |= f;

    // ---- Root-side guest control ----

    /// <summary>
    /// GuestCtl0 ($12 sel 6). Reads include GExcCode of the last guest exit and the read-only capability bits;
    /// writes keep only the writable bits and, with Fiasco masks enabled (the default), Fiasco's
    /// <c>Ctl_0_mbz</c>/<c>Ctl_0_mb1</c> (so AT is always 3).
    /// </summary>
    public uint GuestCtl0
    {
        get => GuestCtl0Raw;
        set
        {
            var v = value;
            if (_fiascoMasks)
                v = (v & GuestCtl0Bits.FiascoAllowed) | GuestCtl0Bits.FiascoForced;
            GuestCtl0Raw = (GuestCtl0Raw & ~GuestCtl0Bits.Writable & ~GuestCtl0Bits.Capabilities)
                | (v & GuestCtl0Bits.Writable) | GuestCtl0Bits.Capabilities;
            Mark(VzStateFields.GuestCtl0);
        }
    }

    /// <summary>GuestCtl0.GExcCode of the last guest exit.</summary>
    public GuestExitCode GuestExitCode => (GuestExitCode)((GuestCtl0Raw >> GuestCtl0Bits.GExcCodeShift) & 0x1f);

    /// <summary>GuestCtl0Ext ($11 sel 4): RPW, NCC, CGI, FCD, OG, BG, MG (Fiasco mask 0x0d7; stored, not interpreted).</summary>
    public uint GuestCtl0Ext
    {
        get => GuestCtl0ExtRaw;
        set
        {
            GuestCtl0ExtRaw = _fiascoMasks ? value & 0x0d7 : value & 0x3df;
            Mark(VzStateFields.GuestCtl0Ext);
        }
    }

    /// <summary>GuestCtl1 ($10 sel 4): ID (7:0), RID (23:16), EID (31:24); 8-bit GuestIDs.</summary>
    public uint GuestCtl1
    {
        get => GuestCtl1Raw;
        set => GuestCtl1Raw = value & 0xffff_00ff;
    }

    /// <summary>GuestCtl2 ($10 sel 5): VIP (15:10) drives guest Cause.IP7–IP2 (virtual interrupt injection).</summary>
    public uint GuestCtl2
    {
        get => GuestCtl2Raw;
        set
        {
            GuestCtl2Raw = value & 0xfc00;
            Mark(VzStateFields.GuestCtl2);
        }
    }

    /// <summary>GTOffset ($12 sel 7): guest Count = root Count + GTOffset.</summary>
    public int GtOffset
    {
        get => GtOffsetRaw;
        set
        {
            GtOffsetRaw = value;
            Mark(VzStateFields.GtOffset);
        }
    }

    // ---- Guest CP0 context ----

    /// <summary>Guest Index.</summary>
    public uint Index { get => IndexRaw; set { IndexRaw = value & (Cp0Bits.IndexP | (uint)(_tlbEntries - 1)); Mark(VzStateFields.Mmu); } }

    /// <summary>Guest EntryLo0.</summary>
    public uint EntryLo0 { get => EntryLo0Raw; set { EntryLo0Raw = value & EntryLoMask; Mark(VzStateFields.Mmu); } }

    /// <summary>Guest EntryLo1.</summary>
    public uint EntryLo1 { get => EntryLo1Raw; set { EntryLo1Raw = value & EntryLoMask; Mark(VzStateFields.Mmu); } }

    /// <summary>Guest Context.</summary>
    public uint Context { get => ContextRaw; set { ContextRaw = value & 0xffff_fff0; Mark(VzStateFields.Mmu); } }

    /// <summary>Guest UserLocal.</summary>
    public uint UserLocal { get => UserLocalRaw; set { UserLocalRaw = value; Mark(VzStateFields.Ulr); } }

    /// <summary>Guest PageMask (invalid masks round down to the next valid page size).</summary>
    public uint PageMask { get => PageMaskRaw; set { PageMaskRaw = SanitizePageMask(value); Mark(VzStateFields.Mmu); } }

    /// <summary>Guest PageGrain.</summary>
    public uint PageGrain { get => PageGrainRaw; set { PageGrainRaw = value & P5600Guest.PageGrainWritable; Mark(VzStateFields.Xlat); } }

    /// <summary>Guest Wired.</summary>
    public uint Wired { get => WiredRaw; set { WiredRaw = value & (uint)(_tlbEntries - 1); Mark(VzStateFields.Mmu); } }

    /// <summary>Guest HWREna.</summary>
    public uint HwrEna { get => HwrEnaRaw; set { HwrEnaRaw = value & P5600Guest.HwrEnaWritable; Mark(VzStateFields.HwrEna); } }

    /// <summary>Guest BadVAddr.</summary>
    public uint BadVAddr { get => BadVAddrRaw; set { BadVAddrRaw = value; Mark(VzStateFields.Bad); } }

    /// <summary>Guest BadInstr.</summary>
    public uint BadInstr { get => BadInstrRaw; set { BadInstrRaw = value; Mark(VzStateFields.Bad); } }

    /// <summary>Guest BadInstrP.</summary>
    public uint BadInstrP { get => BadInstrPRaw; set { BadInstrPRaw = value; Mark(VzStateFields.Bad); } }

    /// <summary>Guest EntryHi.</summary>
    public uint EntryHi { get => EntryHiRaw; set { EntryHiRaw = value & P5600Guest.EntryHiWritable; Mark(VzStateFields.Mmu); } }

    /// <summary>Guest Compare (a root write does not clear Cause.TI; write <see cref="Cause"/> for that).</summary>
    public uint Compare { get => CompareRaw; set { CompareRaw = value; Mark(VzStateFields.Compare); } }

    /// <summary>Guest Status (root writes may change every implemented field, including CU1/FR).</summary>
    public uint Status
    {
        get => StatusRaw;
        set
        {
            StatusRaw = value & (P5600Guest.StatusWritable | P5600Guest.StatusSoftFields | Cp0Bits.StatusSR);
            Mark(VzStateFields.Status);
        }
    }

    /// <summary>Guest IntCtl (IPTI is read-only 7).</summary>
    public uint IntCtl
    {
        get => IntCtlRaw;
        set
        {
            IntCtlRaw = (IntCtlRaw & ~P5600Guest.IntCtlWritable) | (value & P5600Guest.IntCtlWritable);
            Mark(VzStateFields.IntCtl);
        }
    }

    /// <summary>
    /// Guest Cause as the guest reads it: the stored bits plus GuestCtl2.VIP in IP7–IP2 and TI in IP[IntCtl.IPTI].
    /// Root writes change DC, IV, WP, IP1–IP0 and TI.
    /// </summary>
    public uint Cause
    {
        get => EffectiveCause;
        set
        {
            CauseRaw = (CauseRaw & ~P5600Guest.CauseRootWritable) | (value & P5600Guest.CauseRootWritable);
            Mark(VzStateFields.Cause);
        }
    }

    internal uint EffectiveCause
    {
        get
        {
            var c = CauseRaw | (GuestCtl2Raw & Cp0Bits.CauseHwIP);
            if ((CauseRaw & Cp0Bits.CauseTI) != 0)
                c |= 1u << (8 + (int)(IntCtlRaw >> Cp0Bits.IntCtlIptiShift));
            return c;
        }
    }

    /// <summary>Guest EPC.</summary>
    public uint Epc { get => EpcRaw; set { EpcRaw = value; Mark(VzStateFields.Epc); } }

    /// <summary>Guest ErrorEPC.</summary>
    public uint ErrorEpc { get => ErrorEpcRaw; set { ErrorEpcRaw = value; Mark(VzStateFields.Epc); } }

    /// <summary>Guest EBase (CPUNum is read-only; bits 31:30 change only with WG = 1).</summary>
    public uint EBase { get => EBaseRaw; set { EBaseRaw = WriteEBase(EBaseRaw, value); Mark(VzStateFields.EBase); } }

    /// <summary>The guest LLbit (LLAddr.LLB); set <see cref="VzStateFields.LlBit"/> in the map to clear it instead.</summary>
    public bool LlBit => LlBitRaw;

    /// <summary>
    /// Guest Config<paramref name="index"/> (0–5). Root writes may change Config0.K0, Config3.ULRI/VInt and
    /// Config5.K/CV/SBRI — features the engine does not implement cannot be switched on.
    /// </summary>
    public uint GetConfig(int index) => ConfigRaw[index];

    /// <summary>Writes guest Config<paramref name="index"/> through its root write mask.</summary>
    public void SetConfig(int index, uint value)
    {
        var mask = index switch
        {
            0 => P5600Guest.Config0Writable,
            3 => P5600Guest.Config3Ulri | P5600Guest.Config3VInt,
            5 => P5600Guest.Config5Writable,
            _ => 0u,
        };
        ConfigRaw[index] = (ConfigRaw[index] & ~mask) | (value & mask);
        Mark(VzStateFields.Cfg);
    }

    /// <summary>Guest KScratch<paramref name="index"/> (1–6, CP0 $31 sel index + 1).</summary>
    public uint GetKScratch(int index) => KScratchRaw[index - 1];

    /// <summary>Writes guest KScratch<paramref name="index"/> (1–6).</summary>
    public void SetKScratch(int index, uint value)
    {
        KScratchRaw[index - 1] = value;
        Mark(VzStateFields.Kscr);
    }

    internal uint EntryLoMask =>
        P5600Guest.EntryLoBase
        | ((PageGrainRaw & Cp0Bits.PageGrainRIE) != 0 ? Cp0Bits.EntryLoRI : 0)
        | ((PageGrainRaw & Cp0Bits.PageGrainXIE) != 0 ? Cp0Bits.EntryLoXI : 0);

    internal static uint WriteEBase(uint old, uint value)
    {
        var mask = 0x3fff_f000u | P5600Guest.EBaseWG;
        if (((old | value) & P5600Guest.EBaseWG) != 0)
            mask |= 0xc000_0000;
        return (old & ~mask) | (value & mask);
    }

    /// <summary>Rounds a PageMask value down to the largest valid page size it contains (pairs of mask bits from bit 13).</summary>
    internal static uint SanitizePageMask(uint value)
    {
        var bits = (value & P5600Guest.PageMaskWritable) >> 13;
        var ones = System.Numerics.BitOperations.TrailingZeroCount(~bits) & ~1;
        return ones == 0 ? 0 : ((1u << ones) - 1) << 13;
    }
}

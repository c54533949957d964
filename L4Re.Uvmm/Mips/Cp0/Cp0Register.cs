namespace L4Re.Uvmm.Mips;

/// <summary>Coprocessor-0 registers as <c>rd * 8 + sel</c> (the MFC0/MTC0 register and select fields).</summary>
public enum Cp0Register : byte
{
    /// <summary>$0 sel 0.</summary>
    Index = 0 * 8,
    /// <summary>$1 sel 0.</summary>
    Random = 1 * 8,
    /// <summary>$2 sel 0.</summary>
    EntryLo0 = 2 * 8,
    /// <summary>$3 sel 0.</summary>
    EntryLo1 = 3 * 8,
    /// <summary>$3 sel 1 (GlobalNumber: VPNum 7:0, CoreNum 15:8, ClusterNum 23:16; root-emulated).</summary>
    GlobalNumber = 3 * 8 + 1,
    /// <summary>$4 sel 0.</summary>
    Context = 4 * 8,
    /// <summary>$4 sel 2.</summary>
    UserLocal = 4 * 8 + 2,
    /// <summary>$5 sel 0.</summary>
    PageMask = 5 * 8,
    /// <summary>$5 sel 1.</summary>
    PageGrain = 5 * 8 + 1,
    /// <summary>$6 sel 0.</summary>
    Wired = 6 * 8,
    /// <summary>$7 sel 0.</summary>
    HwrEna = 7 * 8,
    /// <summary>$8 sel 0.</summary>
    BadVAddr = 8 * 8,
    /// <summary>$8 sel 1.</summary>
    BadInstr = 8 * 8 + 1,
    /// <summary>$8 sel 2.</summary>
    BadInstrP = 8 * 8 + 2,
    /// <summary>$9 sel 0.</summary>
    Count = 9 * 8,
    /// <summary>$10 sel 0.</summary>
    EntryHi = 10 * 8,
    /// <summary>$10 sel 4 (root only).</summary>
    GuestCtl1 = 10 * 8 + 4,
    /// <summary>$10 sel 5 (root only).</summary>
    GuestCtl2 = 10 * 8 + 5,
    /// <summary>$11 sel 0.</summary>
    Compare = 11 * 8,
    /// <summary>$11 sel 4 (root only).</summary>
    GuestCtl0Ext = 11 * 8 + 4,
    /// <summary>$12 sel 0.</summary>
    Status = 12 * 8,
    /// <summary>$12 sel 1.</summary>
    IntCtl = 12 * 8 + 1,
    /// <summary>$12 sel 2.</summary>
    SrsCtl = 12 * 8 + 2,
    /// <summary>$12 sel 3.</summary>
    SrsMap = 12 * 8 + 3,
    /// <summary>$12 sel 6 (root only).</summary>
    GuestCtl0 = 12 * 8 + 6,
    /// <summary>$12 sel 7 (root only).</summary>
    GtOffset = 12 * 8 + 7,
    /// <summary>$13 sel 0.</summary>
    Cause = 13 * 8,
    /// <summary>$14 sel 0.</summary>
    Epc = 14 * 8,
    /// <summary>$15 sel 0.</summary>
    PrId = 15 * 8,
    /// <summary>$15 sel 1.</summary>
    EBase = 15 * 8 + 1,
    /// <summary>$15 sel 2.</summary>
    CdmmBase = 15 * 8 + 2,
    /// <summary>$15 sel 3.</summary>
    CmgcrBase = 15 * 8 + 3,
    /// <summary>$16 sel 0.</summary>
    Config0 = 16 * 8,
    /// <summary>$16 sel 1.</summary>
    Config1 = 16 * 8 + 1,
    /// <summary>$16 sel 2.</summary>
    Config2 = 16 * 8 + 2,
    /// <summary>$16 sel 3.</summary>
    Config3 = 16 * 8 + 3,
    /// <summary>$16 sel 4.</summary>
    Config4 = 16 * 8 + 4,
    /// <summary>$16 sel 5.</summary>
    Config5 = 16 * 8 + 5,
    /// <summary>$16 sel 6.</summary>
    Config6 = 16 * 8 + 6,
    /// <summary>$16 sel 7.</summary>
    Config7 = 16 * 8 + 7,
    /// <summary>$17 sel 0.</summary>
    LlAddr = 17 * 8,
    /// <summary>$17 sel 1.</summary>
    Maar = 17 * 8 + 1,
    /// <summary>$17 sel 2.</summary>
    MaarI = 17 * 8 + 2,
    /// <summary>$26 sel 0.</summary>
    ErrCtl = 26 * 8,
    /// <summary>$28 sel 0 (cache tag).</summary>
    TagLo = 28 * 8,
    /// <summary>$28 sel 1 (cache data).</summary>
    DataLo = 28 * 8 + 1,
    /// <summary>$29 sel 0 (cache tag).</summary>
    TagHi = 29 * 8,
    /// <summary>$29 sel 1 (cache data).</summary>
    DataHi = 29 * 8 + 1,
    /// <summary>$30 sel 0.</summary>
    ErrorEpc = 30 * 8,
    /// <summary>$31 sel 2.</summary>
    KScratch1 = 31 * 8 + 2,
    /// <summary>$31 sel 3.</summary>
    KScratch2 = 31 * 8 + 3,
    /// <summary>$31 sel 4.</summary>
    KScratch3 = 31 * 8 + 4,
    /// <summary>$31 sel 5.</summary>
    KScratch4 = 31 * 8 + 5,
    /// <summary>$31 sel 6.</summary>
    KScratch5 = 31 * 8 + 6,
    /// <summary>$31 sel 7.</summary>
    KScratch6 = 31 * 8 + 7,
}

using L4Re.Uvmm.Mips;

namespace L4Re.Uvmm.Tests.Mips;

/// <summary>The guest JTLB through guest instructions: TLBWI/TLBWR/TLBP/TLBR/TLBINV(F), page sizes, ASIDs, G, V, D, RI/XI.</summary>
public class GuestTlbTests
{
    // Writes a TLB entry: $a0 = EntryHi, $a1 = EntryLo0, $a2 = EntryLo1, $a3 = PageMask, $t9 = index.
    private const string WriteEntry = """
        mtc0 $a0, $10
        mtc0 $a1, $2
        mtc0 $a2, $3
        mtc0 $a3, $5
        mtc0 $t9, $0
        tlbwi
        """ + "\n";

    private static TestMachine Machine(string code)
    {
        var m = new TestMachine();
        foreach (var offset in new uint[] { 0x000, 0x180, 0x200 })
            m.WriteWord(offset, 0x4200_0020); // WAIT at every RAM vector
        m.Load(code);
        m.UseRamVectors();
        m.Cpu.State.Status = 0; // kernel mode, ERL = 0: kuseg goes through the TLB
        return m;
    }

    private static uint Lo(uint pa, uint flags) => (pa >> 12) << 6 | flags;

    private static string Li(string reg, uint v) => $"li {reg}, 0x{v:x}\n";

    [Test]
    public void Mapped_loads_go_through_the_tlb_to_the_right_physical_page()
    {
        var m = Machine(Li("$a0", 0x0040_0005) + Li("$a1", Lo(0x20_0000, 0x1e)) + Li("$a2", Lo(0x30_0000, 0x1e)) + Li("$a3", 0) + Li("$t9", 3)
            + WriteEntry + Li("$t0", 5) + "mtc0 $t0, $10\n" + """
            li $t1, 0x00400010
            lw $s0, 0($t1)
            lw $s1, 0x1000($t1)
            sw $s1, 4($t1)
            wait
            """);
        m.WriteWord(0x20_0010, 0xcafe_f00d);
        m.WriteWord(0x30_0010, 0x1234_5678);
        m.RunToWait();
        Assert.Multiple(() =>
        {
            Assert.That(m[16], Is.EqualTo(0xcafe_f00du));
            Assert.That(m[17], Is.EqualTo(0x1234_5678u));
            Assert.That(m.ReadWord(0x20_0014), Is.EqualTo(0x1234_5678u));
        });
    }

    [Test]
    public void Store_to_a_clean_page_is_a_modified_exception()
    {
        var m = Machine(Li("$a0", 0x0040_0000) + Li("$a1", Lo(0x20_0000, 0x1a)) + Li("$a2", 0) + Li("$a3", 0) + Li("$t9", 0)
            + WriteEntry + "mtc0 $zero, $10\n" + """
            li $t1, 0x00400010
            lw $s0, 0($t1)
            sw $s0, 0($t1)
            nop
            """);
        var exit = m.RunToWait();
        Assert.Multiple(() =>
        {
            Assert.That(exit.Epc, Is.EqualTo(0x8000_0180u));
            Assert.That((m.Cpu.State.Cause >> 2) & 0x1f, Is.EqualTo((uint)ExcCode.Mod));
            Assert.That(m.Cpu.State.BadVAddr, Is.EqualTo(0x0040_0010u));
        });
    }

    [Test]
    public void Other_asids_miss_unless_the_entry_is_global()
    {
        var source = Li("$a0", 0x0040_0007) + Li("$a1", Lo(0x20_0000, 0x1e)) + Li("$a2", Lo(0x20_1000, 0x1e)) + Li("$a3", 0) + Li("$t9", 1)
            + WriteEntry + Li("$t0", 8) + "mtc0 $t0, $10\n" + """
            li $t1, 0x00400000
            lw $s0, 0($t1)
            wait
            """;
        var local = Machine(source);
        Assert.That(local.RunToWait().Epc, Is.EqualTo(0x8000_0000u), "ASID 8 misses an ASID 7 entry: refill");
        var global = Machine(source.Replace($"0x{Lo(0x20_0000, 0x1e):x}", $"0x{Lo(0x20_0000, 0x1f):x}").Replace($"0x{Lo(0x20_1000, 0x1e):x}", $"0x{Lo(0x20_1000, 0x1f):x}"));
        global.WriteWord(0x20_0000, 77);
        global.RunToWait();
        Assert.That(global[16], Is.EqualTo(77u));
    }

    [Test]
    public void Invalid_entries_raise_tlb_invalid_at_the_general_vector()
    {
        var m = Machine(Li("$a0", 0x0040_0000) + Li("$a1", Lo(0x20_0000, 0x1c)) + Li("$a2", 0) + Li("$a3", 0) + Li("$t9", 0)
            + WriteEntry + "mtc0 $zero, $10\nli $t1, 0x00400000\nlw $s0, 0($t1)\n");
        var exit = m.RunToWait();
        Assert.Multiple(() =>
        {
            Assert.That(exit.Epc, Is.EqualTo(0x8000_0180u));
            Assert.That((m.Cpu.State.Cause >> 2) & 0x1f, Is.EqualTo((uint)ExcCode.TlbL));
        });
    }

    [Test]
    public void Large_pages_map_with_the_page_mask()
    {
        // 1 MiB pages: PageMask 0x1fe000; VA 0x10000000 (even) → 0x00800000, 0x10100000 (odd) → 0x00a00000.
        var m = Machine(Li("$a0", 0x1000_0000) + Li("$a1", Lo(0x80_0000, 0x1f)) + Li("$a2", Lo(0xa0_0000, 0x1f)) + Li("$a3", 0x1f_e000) + Li("$t9", 5)
            + WriteEntry + """
            li $t1, 0x100ffff0
            lw $s0, 0($t1)
            li $t1, 0x10180000
            lw $s1, 0($t1)
            wait
            """);
        m.WriteWord(0x8f_fff0, 0x1111);
        m.WriteWord(0xa8_0000, 0x2222);
        m.RunToWait();
        Assert.That(new[] { m[16], m[17] }, Is.EqualTo(new uint[] { 0x1111, 0x2222 }));
    }

    [Test]
    public void Tlbp_and_tlbr_find_and_read_back_entries()
    {
        var m = Machine(Li("$a0", 0x0060_2003) + Li("$a1", Lo(0x20_0000, 0x1e)) + Li("$a2", Lo(0x30_0000, 0x16)) + Li("$a3", 0x6000) + Li("$t9", 9)
            + WriteEntry + """
            mtc0 $zero, $10
            mtc0 $zero, $2
            mtc0 $zero, $0
            li $t0, 0x00602003
            mtc0 $t0, $10
            tlbp
            mfc0 $s0, $0
            tlbr
            mfc0 $s1, $10
            mfc0 $s2, $2
            mfc0 $s3, $3
            mfc0 $s4, $5
            li $t0, 0x00700003
            mtc0 $t0, $10
            tlbp
            mfc0 $s5, $0
            wait
            """);
        m.RunToWait();
        Assert.Multiple(() =>
        {
            Assert.That(m[16], Is.EqualTo(9u));
            Assert.That(m[17], Is.EqualTo(0x0060_0003u), "VPN2 bits under the 16 KiB mask read back as zero");
            Assert.That(m[18], Is.EqualTo(Lo(0x20_0000, 0x1e)));
            Assert.That(m[19], Is.EqualTo(Lo(0x30_0000, 0x16)));
            Assert.That(m[20], Is.EqualTo(0x6000u));
            Assert.That(m[21], Is.EqualTo(Cp0Bits.IndexP | 9u), "a miss sets P and keeps the index bits, like QEMU");
        });
    }

    [Test]
    public void Tlbinv_and_tlbinvf_invalidate_entries()
    {
        var m = Machine(Li("$a0", 0x0040_0004) + Li("$a1", Lo(0x20_0000, 0x1e)) + Li("$a2", 0) + Li("$a3", 0) + Li("$t9", 2)
            + WriteEntry + Li("$t0", 4) + "mtc0 $t0, $10\ntlbinv\n" + """
            li $t0, 0x00400004
            mtc0 $t0, $10
            tlbp
            mfc0 $s0, $0
            wait
            """);
        m.RunToWait();
        Assert.That(m[16] & Cp0Bits.IndexP, Is.EqualTo(Cp0Bits.IndexP));
        Assert.That(m.Cpu.Tlb[2].Invalidated, Is.True);
    }

    [Test]
    public void Read_and_execute_inhibit_raise_tlbri_and_tlbxi_with_pagegrain_iec()
    {
        var ri = Machine(Li("$t0", Cp0Bits.PageGrainRIE | Cp0Bits.PageGrainXIE | Cp0Bits.PageGrainIEC) + "mtc0 $t0, $5, 1\n"
            + Li("$a0", 0x0040_0000) + Li("$a1", Lo(0x20_0000, 0x1e) | Cp0Bits.EntryLoRI) + Li("$a2", Lo(0x20_1000, 0x1e) | Cp0Bits.EntryLoXI)
            + Li("$a3", 0) + Li("$t9", 0) + WriteEntry + """
            li $t1, 0x00400000
            sw $zero, 0($t1)
            lw $s0, 0($t1)
            """);
        ri.RunToWait();
        Assert.That((ri.Cpu.State.Cause >> 2) & 0x1f, Is.EqualTo((uint)ExcCode.TlbRI));

        var xi = Machine(Li("$t0", Cp0Bits.PageGrainXIE | Cp0Bits.PageGrainIEC) + "mtc0 $t0, $5, 1\n"
            + Li("$a0", 0x0040_0000) + Li("$a1", 0) + Li("$a2", Lo(0x20_1000, 0x1e) | Cp0Bits.EntryLoXI)
            + Li("$a3", 0) + Li("$t9", 0) + WriteEntry + """
            li $t1, 0x00401000
            jr $t1
            nop
            """);
        xi.RunToWait();
        Assert.Multiple(() =>
        {
            Assert.That((xi.Cpu.State.Cause >> 2) & 0x1f, Is.EqualTo((uint)ExcCode.TlbXI));
            Assert.That(xi.Cpu.State.Epc, Is.EqualTo(0x0040_1000u));
        });
    }

    [Test]
    public void Tlbwr_writes_between_wired_and_the_last_entry()
    {
        var m = Machine(Li("$t0", 60) + "mtc0 $t0, $6\n" + Li("$a0", 0x0040_0000) + Li("$a1", Lo(0x20_0000, 0x1e)) + Li("$a2", 0) + Li("$a3", 0) + """
            mtc0 $a0, $10
            mtc0 $a1, $2
            mtc0 $a2, $3
            mtc0 $a3, $5
            tlbwr
            tlbp
            mfc0 $s0, $0
            mfc0 $s1, $1
            wait
            """);
        m.RunToWait();
        Assert.Multiple(() =>
        {
            Assert.That(m[16], Is.InRange(60u, 63u));
            Assert.That(m[17], Is.InRange(60u, 63u));
        });
    }
}

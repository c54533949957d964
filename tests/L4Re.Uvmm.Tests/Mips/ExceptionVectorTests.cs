using L4Re.Uvmm.Mips;
using L4Re.Uvmm.Vz;

namespace L4Re.Uvmm.Tests.Mips;

/// <summary>The exception vector table: base (BEV, EBase), offset (refill only with EXL = 0, general 0x180, interrupt 0x200 with IV, vectored spacing) and the EPC/BD/EXL rules.</summary>
public class ExceptionVectorTests
{
    /// <summary>A machine whose RAM vectors all hold WAIT, so a run stops at the vector it took.</summary>
    private static TestMachine Machine(string code, bool bev, uint ebase = 0x8000_0000)
    {
        var m = new TestMachine();
        foreach (var offset in new uint[] { 0x000, 0x180, 0x200 })
            m.WriteWord((ebase & 0x1fff_ffff) + offset, 0x4200_0020);
        for (uint v = 0; v < 8; v++)
            m.WriteWord((ebase & 0x1fff_ffff) + 0x200 + v * 32, 0x4200_0020);
        m.Load(code);
        m.Cpu.State.EBase = ebase;
        m.Cpu.State.Status = bev ? Cp0Bits.StatusBEV : 0; // ERL cleared: kuseg is mapped
        return m;
    }

    private static uint Cause(TestMachine m) => (m.Cpu.State.Cause >> 2) & 0x1f;

    [TestCase(false, 0x8000_0000u, 0x8000_0180u)]
    [TestCase(false, 0x8000_4000u, 0x8000_4180u)]
    [TestCase(false, 0x80f0_0000u, 0x80f0_0180u)]
    public void General_exceptions_use_ebase_plus_0x180(bool bev, uint ebase, uint vector)
    {
        var m = Machine("nop\nsyscall\nnop", bev, ebase);
        var exit = m.RunToWait();
        Assert.Multiple(() =>
        {
            Assert.That(exit.Epc, Is.EqualTo(vector));
            Assert.That(m.Cpu.State.Epc, Is.EqualTo(TestMachine.CodeBase + 4));
            Assert.That(Cause(m), Is.EqualTo((uint)ExcCode.Sys));
            Assert.That(m.Cpu.State.Status & Cp0Bits.StatusEXL, Is.Not.Zero);
            Assert.That(m.Cpu.State.Cause & Cp0Bits.CauseBD, Is.Zero);
            Assert.That(m.Cpu.State.BadInstr, Is.EqualTo(0x0000_000cu));
        });
    }

    [TestCase("syscall", 0xbfc0_0380u)]
    [TestCase("lw $t0, 0($zero)", 0xbfc0_0200u)]
    public void Bootstrap_vectors_are_at_0xbfc00200(string faulting, uint vector)
    {
        var m = Machine(faulting, bev: true);
        var exit = m.Cpu.Run(100);
        // 0x1fc00000 is not RAM in the test machine: fetching the vector is a GPA exit naming it.
        Assert.Multiple(() =>
        {
            Assert.That(exit.IsRootTlb, Is.True, exit.ToString());
            Assert.That(exit.Epc, Is.EqualTo(vector));
            Assert.That(exit.BadVAddr, Is.EqualTo(vector & 0x1fff_ffff));
            Assert.That(exit.GuestExitCode, Is.EqualTo(GuestExitCode.Gpa));
            Assert.That(exit.BadInstr, Is.Zero, "an instruction fetch has no BadInstr");
        });
    }

    [Test]
    public void Tlb_refill_uses_offset_0_only_when_exl_is_clear()
    {
        var m = Machine("lw $t0, 0x40($zero)", bev: false);
        Assert.That(m.RunToWait().Epc, Is.EqualTo(0x8000_0000u));
        Assert.Multiple(() =>
        {
            Assert.That(Cause(m), Is.EqualTo((uint)ExcCode.TlbL));
            Assert.That(m.Cpu.State.BadVAddr, Is.EqualTo(0x40u));
            Assert.That(m.Cpu.State.EntryHi & Cp0Bits.EntryHiVpn2, Is.Zero);
        });

        var nested = Machine("sw $t0, 0x2040($zero)", bev: false);
        nested.Cpu.State.Status = Cp0Bits.StatusEXL;
        nested.Cpu.State.Epc = 0x1234;
        Assert.That(nested.RunToWait().Epc, Is.EqualTo(0x8000_0180u));
        Assert.Multiple(() =>
        {
            Assert.That(Cause(nested), Is.EqualTo((uint)ExcCode.TlbS));
            Assert.That(nested.Cpu.State.Epc, Is.EqualTo(0x1234u), "EPC is not updated while EXL = 1");
            Assert.That(nested.Cpu.State.Context, Is.EqualTo((0x2040u >> 9) & 0x007f_fff0));
        });
    }

    [Test]
    public void Exceptions_in_delay_slots_set_bd_and_point_epc_at_the_branch()
    {
        var m = Machine("""
                nop
            branch:
                beq $zero, $zero, away
                break 3
            away:
                nop
            """, bev: false);
        m.RunToWait();
        Assert.Multiple(() =>
        {
            Assert.That(m.Cpu.State.Epc, Is.EqualTo(m.Symbol("branch")));
            Assert.That(m.Cpu.State.Cause & Cp0Bits.CauseBD, Is.Not.Zero);
            Assert.That(Cause(m), Is.EqualTo((uint)ExcCode.Bp));
            Assert.That(m.Cpu.State.BadInstrP, Is.EqualTo(Assembler.AssembleOne($"beq $zero, $zero, {m.Symbol("away")}", m.Symbol("branch"))));
        });
    }

    [TestCase(0u, 0u, 0x8000_0180u)]
    [TestCase(Cp0Bits.CauseIV, 0u, 0x8000_0200u)]
    [TestCase(Cp0Bits.CauseIV, 1u, 0x8000_0200u + 7 * 32)]
    public void Interrupts_use_0x180_or_0x200_or_vectored_spacing(uint iv, uint vs, uint vector)
    {
        var m = Machine("nop\nnop\nnop", bev: false);
        m.Cpu.State.Cause = iv;
        m.Cpu.State.IntCtl = vs << 5;
        m.Cpu.State.Status = Cp0Bits.StatusIE | 0x8000 | 0x0400; // IM7, IM2
        m.Cpu.SetVirtualInterrupt(7, true);
        var exit = m.RunToWait();
        Assert.Multiple(() =>
        {
            Assert.That(exit.Epc, Is.EqualTo(vector));
            Assert.That(Cause(m), Is.EqualTo((uint)ExcCode.Int));
            Assert.That(m.Cpu.State.Epc, Is.EqualTo(TestMachine.CodeBase));
            Assert.That(m.Cpu.State.Cause & 0xfc00, Is.EqualTo(0x8000u), "VIP7 shows as Cause.IP7");
        });
    }

    [Test]
    public void Bootstrap_interrupt_vector_is_0xbfc00400()
    {
        var m = Machine("nop", bev: true);
        m.Cpu.State.Cause = Cp0Bits.CauseIV;
        m.Cpu.State.Status = Cp0Bits.StatusBEV | Cp0Bits.StatusIE | 0x0400;
        m.Cpu.SetVirtualInterrupt(2, true);
        var exit = m.Cpu.Run(10);
        Assert.That(exit.Epc, Is.EqualTo(0xbfc0_0400u));
    }

    [TestCase("lw $t0, 1($zero)", ExcCode.AdEL, 1u)]
    [TestCase("sh $t0, 3($zero)", ExcCode.AdES, 3u)]
    [TestCase("jr $t1\nnop", ExcCode.AdEL, 0x8000_2002u)]
    public void Address_errors_report_badvaddr(string code, ExcCode expected, uint badVAddr)
    {
        var m = Machine("li $t1, 0x80002002\n" + code, bev: false);
        m.RunToWait();
        Assert.Multiple(() =>
        {
            Assert.That(Cause(m), Is.EqualTo((uint)expected));
            Assert.That(m.Cpu.State.BadVAddr, Is.EqualTo(badVAddr));
        });
    }

    [Test]
    public void User_mode_cannot_touch_kernel_segments_or_cp0()
    {
        var m = Machine("""
                li $t0, 0x80000000
                lw $t1, 0($t0)
            """, bev: false);
        m.Cpu.State.Status = Cp0Bits.StatusKSU & 0x10; // user mode
        // The first instructions run from kseg0 in user mode: the fetch itself is an address error.
        m.RunToWait();
        Assert.Multiple(() =>
        {
            Assert.That(Cause(m), Is.EqualTo((uint)ExcCode.AdEL));
            Assert.That(m.Cpu.State.BadVAddr, Is.EqualTo(TestMachine.CodeBase));
            Assert.That(m.Cpu.State.BadInstr, Is.Zero);
        });
    }

    [TestCase("lwc1 $f0, 0($zero)", 1u)]
    [TestCase("cop2 0x1", 2u)]
    public void Coprocessor_unusable_names_the_unit(string code, uint unit)
    {
        var m = Machine(code, bev: false);
        m.RunToWait();
        Assert.Multiple(() =>
        {
            Assert.That(Cause(m), Is.EqualTo((uint)ExcCode.CpU));
            Assert.That((m.Cpu.State.Cause >> 28) & 3, Is.EqualTo(unit));
        });
    }

    [TestCase("add $t0, $t1, $t1", ExcCode.Ov)]
    [TestCase("addi $t0, $t1, 1", ExcCode.Ov)]
    [TestCase("teq $zero, $zero", ExcCode.Tr)]
    [TestCase("tgei $t1, 5", ExcCode.Tr)]
    [TestCase(".word 0xfc000000", ExcCode.RI)]
    [TestCase("sdbbp", ExcCode.RI)]
    [TestCase("mfgc0 $t0, $12, 0", ExcCode.RI)]
    [TestCase("b 0x80001010\nj 0x80001000", ExcCode.RI)]
    public void Synchronous_exceptions_have_their_codes(string code, ExcCode expected)
    {
        var m = Machine("li $t1, 0x7fffffff\n" + code, bev: false);
        m.RunToWait();
        Assert.That(Cause(m), Is.EqualTo((uint)expected));
    }
}

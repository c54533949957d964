using L4Re.Uvmm.Mips;
using L4Re.Uvmm.Vz;

namespace L4Re.Uvmm.Tests.Mips;

/// <summary>Guest CP0 and R2 privileged instructions: reset values, write masks, DI/EI, RDHWR, UserLocal, KScratch, CACHE/SYNCI code invalidation.</summary>
public class Cp0InstructionTests
{
    [Test]
    public void Reset_values_are_the_p5600_guest_view()
    {
        var m = new TestMachine();
        m.Load("""
            mfc0 $s0, $12
            mfc0 $s1, $16, 0
            mfc0 $s2, $16, 1
            mfc0 $s3, $16, 3
            mfc0 $s4, $16, 4
            mfc0 $s5, $15, 1
            mfc0 $s6, $12, 1
            mfc0 $s7, $16, 5
            wait
            """);
        m.RunToWait();
        Assert.Multiple(() =>
        {
            Assert.That(m[16], Is.EqualTo(Cp0Bits.StatusERL | Cp0Bits.StatusBEV));
            Assert.That(m[17] & 7, Is.EqualTo(2u), "Config0.K0 = uncached");
            Assert.That((m[18] >> 25) & 0x3f, Is.EqualTo(63u), "Config1.MMUSize - 1 = 63");
            Assert.That(m[18] & 1, Is.Zero, "Config1.FP = 0");
            Assert.That(m[19] & (1u << 23), Is.Zero, "no nested VZ in the guest");
            Assert.That(m[19] & P5600Guest.Config3Ulri, Is.Not.Zero);
            Assert.That((m[20] >> 16) & 0xff, Is.EqualTo(0x1cu), "KScrExist");
            Assert.That(m[21], Is.EqualTo(0x8000_0000u), "EBase with CPUNum 0");
            Assert.That(m[22] >> 29, Is.EqualTo(7u), "IntCtl.IPTI");
            Assert.That(m[23] & 0x10, Is.Not.Zero, "Config5.LLB");
        });
    }

    [Test]
    public void Write_masks_keep_read_only_fields()
    {
        var m = new TestMachine();
        m.Load("""
            li $t0, -1
            mtc0 $t0, $15, 1        # EBase: WG = 0 in the value... bits 31:30 change only with WG
            mfc0 $s0, $15, 1
            li $t0, 0x7ffff000
            mtc0 $t0, $15, 1
            mfc0 $s1, $15, 1
            li $t0, -1
            mtc0 $t0, $4            # Context: only PTEBase
            mfc0 $s2, $4
            mtc0 $t0, $5            # PageMask
            mfc0 $s3, $5
            mtc0 $t0, $7            # HWREna
            mfc0 $s4, $7
            mtc0 $t0, $16, 0        # Config0: K0 only
            mfc0 $s5, $16, 0
            mtc0 $t0, $8            # BadVAddr is read-only
            mfc0 $s6, $8
            wait
            """);
        m.RunToWait();
        Assert.Multiple(() =>
        {
            Assert.That(m[16], Is.EqualTo(0xffff_f800u), "WG set in the written value opens bits 31:30");
            Assert.That(m[17], Is.EqualTo(0x7fff_f000u));
            Assert.That(m[18], Is.EqualTo(0xff80_0000u));
            Assert.That(m[19], Is.EqualTo(0x1fff_e000u));
            Assert.That(m[20], Is.EqualTo(P5600Guest.HwrEnaWritable));
            Assert.That(m[21], Is.EqualTo(P5600Guest.Config0 | 7));
            Assert.That(m[22], Is.Zero);
        });
    }

    [Test]
    public void Di_ei_return_the_old_status()
    {
        var m = new TestMachine();
        m.Load("""
            mtc0 $zero, $12
            ei $s0
            di $s1
            mfc0 $s2, $12
            wait
            """);
        m.RunToWait();
        Assert.That(new[] { m[16], m[17], m[18] }, Is.EqualTo(new uint[] { 0, 1, 0 }));
    }

    [Test]
    public void Rdhwr_reads_cpunum_synci_step_ccres_and_userlocal()
    {
        var m = new TestMachine(options: new VcpuOptions { CpuNum = 3 });
        m.Load("""
            li $t0, 0xcafe
            mtc0 $t0, $4, 2         # UserLocal
            rdhwr $s0, $0
            rdhwr $s1, $1
            rdhwr $s2, $3
            rdhwr $s3, $29
            wait
            """);
        m.RunToWait();
        Assert.That(new[] { m[16], m[17], m[18], m[19] }, Is.EqualTo(new uint[] { 3, 32, 2, 0xcafe }));
    }

    [Test]
    public void User_mode_rdhwr_needs_hwrena()
    {
        var m = new TestMachine();
        m.WriteWord(0x180, 0x4200_0020);
        m.Load("rdhwr $s0, $29\nnop");
        m.UseRamVectors();
        m.Cpu.Tlb[0] = new TlbEntry(0, 0x01ff_e000, 0x1f, (16u << 20 >> 12) << 6 | 0x1f);
        m.Cpu.Pc = TestMachine.CodeBase & 0x1fff_ffff; // the same code through the identity user mapping
        m.Cpu.State.Status = 0x10;
        m.Cpu.State.UserLocal = 0x77;
        m.RunToWait();
        Assert.That((m.Cpu.State.Cause >> 2) & 0x1f, Is.EqualTo((uint)ExcCode.RI));

        m.Cpu.State.Status = 0x10;
        m.Cpu.State.HwrEna = Cp0Bits.HwrEnaUlr;
        m.Cpu.Pc = TestMachine.CodeBase & 0x1fff_ffff;
        var exit = m.Cpu.Run(2);
        Assert.That(exit.Reason, Is.EqualTo(VcpuExitReason.InstructionLimit));
        Assert.That(m[16], Is.EqualTo(0x77u));
    }

    [Test]
    public void KScratch_registers_exist_as_advertised()
    {
        var m = new TestMachine();
        m.Load("""
            li $t0, 11
            mtc0 $t0, $31, 2
            li $t0, 22
            mtc0 $t0, $31, 4
            mfc0 $s0, $31, 2
            mfc0 $s1, $31, 4
            mfc0 $s2, $31, 5        # KScratch4 does not exist: GPSI
            wait
            """);
        var exit = m.Cpu.Run(100);
        Assert.Multiple(() =>
        {
            Assert.That(exit.IsGuestExit(GuestExitCode.Gpsi), Is.True);
            Assert.That(exit.BadInstr, Is.EqualTo(Assembler.AssembleOne("mfc0 $s2, $31, 5")));
            Assert.That(new[] { m[16], m[17] }, Is.EqualTo(new uint[] { 11, 22 }));
            Assert.That(m.Cpu.State.GetKScratch(1), Is.EqualTo(11u));
        });
    }

    [TestCase("synci 0($a0)")]
    [TestCase("cache 0x10, 0($a0)")]
    public void Cache_and_synci_drop_code_written_behind_the_engines_back(string flush)
    {
        var m = new TestMachine();
        m.Load($"""
                la $a0, patch
            again:
            patch:
                addiu $s0, $zero, 1
                bnez $s1, done
                nop
                hypcall 7             # the "DMA" happens while the guest is out
                {flush}
                b again
                addiu $s1, $zero, 1
            done:
                wait
            """);
        m.Cpu.State.GuestCtl0 |= GuestCtl0Bits.CG;
        var exit = m.Cpu.Run(1000);
        Assert.That(exit.IsGuestExit(GuestExitCode.Hypercall), Is.True);
        m.WriteWord(m.Symbol("patch") & 0x1fff_ffff, Assembler.AssembleOne("addiu $s0, $zero, 42"));
        m.Cpu.SkipInstruction();
        m.RunToWait();
        Assert.That(m[16], Is.EqualTo(42u));
    }

    [Test]
    public void Eret_returns_to_errorepc_with_erl_and_epc_with_exl()
    {
        var m = new TestMachine();
        m.Load("""
                la $t0, first
                mtc0 $t0, $30
                eret                  # ERL = 1 after reset: ErrorEPC
                nop
            first:
                mfc0 $s0, $12
                la $t0, second
                mtc0 $t0, $14
                li $t1, 0x2
                mtc0 $t1, $12
                eret                  # EXL = 1: EPC
                nop
            second:
                mfc0 $s1, $12
                wait
            """);
        m.RunToWait();
        Assert.Multiple(() =>
        {
            Assert.That(m[16], Is.EqualTo(Cp0Bits.StatusBEV), "ERL cleared");
            Assert.That(m[17], Is.Zero, "EXL cleared");
        });
    }
}

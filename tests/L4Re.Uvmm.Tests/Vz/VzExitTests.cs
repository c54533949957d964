using L4Re.Kernel.Memory;
using L4Re.Uvmm.Mips;
using L4Re.Uvmm.Tests.Mips;
using L4Re.Uvmm.Vz;

namespace L4Re.Uvmm.Tests.Vz;

/// <summary>Every VZ exit kind with the exact root-visible values, and the root-side API around them.</summary>
public class VzExitTests
{
    private static (TestMachine M, VcpuExit Exit) RunUntilExit(string code, Action<TestMachine>? setup = null, VcpuOptions? options = null)
    {
        var m = new TestMachine(options: options);
        m.Load(code);
        setup?.Invoke(m);
        return (m, m.Cpu.Run(100_000));
    }

    [TestCase("mfc0 $t0, $15, 0")]   // PRId
    [TestCase("mfc0 $t0, $16, 7")]   // Config7
    [TestCase("mfc0 $t0, $12, 2")]   // SRSCtl
    [TestCase("mfc0 $t0, $15, 3")]   // CMGCRBase
    [TestCase("mtc0 $t0, $17, 0")]   // LLAddr (P5600)
    [TestCase("mtc0 $t0, $9, 0")]    // Count
    [TestCase("wait")]
    [TestCase("cache 0x0, 0($zero)")] // index invalidate I
    [TestCase("cache 0x8, 0($zero)")] // index store tag I
    public void Sensitive_instructions_exit_as_gpsi(string insn)
    {
        var (_, exit) = RunUntilExit("nop\n" + insn);
        Assert.Multiple(() =>
        {
            Assert.That(exit.ExcCode, Is.EqualTo(ExcCode.GE));
            Assert.That(exit.GuestExitCode, Is.EqualTo(GuestExitCode.Gpsi));
            Assert.That(exit.Epc, Is.EqualTo(TestMachine.CodeBase + 4));
            Assert.That(exit.BadInstr, Is.EqualTo(Assembler.AssembleOne(insn)));
            Assert.That(exit.BranchDelay, Is.False);
            Assert.That(exit.Cause, Is.EqualTo(27u << 2));
            Assert.That(exit.Instructions, Is.EqualTo(1));
        });
    }

    [TestCase("mfc0 $t0, $9, 0")]
    [TestCase("mtc0 $t0, $11, 0")]
    [TestCase("rdhwr $t0, $2")]
    public void Count_and_compare_exit_while_the_root_owns_the_timer(string insn)
    {
        var (_, gpsi) = RunUntilExit(insn);
        Assert.That(gpsi.IsGuestExit(GuestExitCode.Gpsi), Is.True, gpsi.ToString());
        var (m, none) = RunUntilExit(insn + "\nwait", mm => mm.Cpu.State.GuestCtl0 |= GuestCtl0Bits.GT);
        Assert.That(none.Epc, Is.EqualTo(TestMachine.CodeBase + 4), "with GuestCtl0.GT the guest reaches WAIT");
        Assert.That(m.Cpu.State.GuestCtl0 & GuestCtl0Bits.GT, Is.Not.Zero);
    }

    [Test]
    public void Every_cp0_access_exits_without_guestctl0_cp0()
    {
        var (_, exit) = RunUntilExit("mfc0 $t0, $12, 0", m => m.Cpu.State.GuestCtl0 &= ~GuestCtl0Bits.CP0);
        Assert.That(exit.IsGuestExit(GuestExitCode.Gpsi), Is.True, exit.ToString());
    }

    [TestCase("li $t0, 0x20000000\nmtc0 $t0, $12", "Status.CU1")]
    [TestCase("li $t0, 0x04000000\nmtc0 $t0, $12", "Status.FR")]
    [TestCase("li $t0, 0x00800000\nmtc0 $t0, $13", "Cause.IV")]
    [TestCase("li $t0, 0x00000100\nmtc0 $t0, $13", "Cause.IP0")]
    [TestCase("li $t0, 0x08000000\nmtc0 $t0, $13", "Cause.DC")]
    [TestCase("li $t0, 0x00000020\nmtc0 $t0, $12, 1", "IntCtl.VS")]
    [TestCase("li $t0, 0x40000000\nmtc0 $t0, $16, 5", "Config5.K")]
    public void Software_field_changes_exit_as_gsfc(string code, string field)
    {
        var (m, exit) = RunUntilExit(code);
        Assert.Multiple(() =>
        {
            Assert.That(exit.IsGuestExit(GuestExitCode.Gsfc), Is.True, $"{field}: {exit}");
            Assert.That(InstructionDecoder.DecodeOp(exit.BadInstr), Is.EqualTo(Op.Mtc0));
            Assert.That(m.Cpu.State.GuestExitCode, Is.EqualTo(GuestExitCode.Gsfc), "GuestCtl0.GExcCode");
        });
    }

    [Test]
    public void Writes_that_change_no_soft_field_complete_in_the_guest()
    {
        var (m, exit) = RunUntilExit("li $t0, 0x0000ff01\nmtc0 $t0, $12\nmtc0 $zero, $13\nwait");
        Assert.That(InstructionDecoder.DecodeOp(exit.BadInstr), Is.EqualTo(Op.Wait));
        Assert.That(m.Cpu.State.Status, Is.EqualTo(0x0000_ff01u));
    }

    [Test]
    public void Vmm_completes_a_gsfc_write_and_skips_the_instruction()
    {
        var (m, exit) = RunUntilExit("li $t0, 0x00800000\nmtc0 $t0, $13\nmfc0 $s0, $13\nwait");
        Assert.That(exit.IsGuestExit(GuestExitCode.Gsfc), Is.True);
        m.Cpu.State.Cause = m.Cpu.GetGpr((int)((exit.BadInstr >> 16) & 31));
        m.Cpu.SkipInstruction();
        m.RunToWait();
        Assert.That(m[16], Is.EqualTo(Cp0Bits.CauseIV));
    }

    [Test]
    public void Hypcall_exits_with_its_code()
    {
        var (_, exit) = RunUntilExit("hypcall 0x2a5");
        Assert.Multiple(() =>
        {
            Assert.That(exit.IsGuestExit(GuestExitCode.Hypercall), Is.True);
            Assert.That((exit.BadInstr >> 11) & 0x3ff, Is.EqualTo(0x2a5u));
        });
    }

    [Test]
    public void Reserved_instructions_exit_as_grr_when_guestctl0_ri_is_set()
    {
        var (_, exit) = RunUntilExit(".word 0xec000000", m => m.Cpu.State.GuestCtl0 |= GuestCtl0Bits.RI);
        Assert.Multiple(() =>
        {
            Assert.That(exit.IsGuestExit(GuestExitCode.Grr), Is.True, exit.ToString());
            Assert.That(exit.BadInstr, Is.EqualTo(0xec00_0000u));
        });
    }

    [Test]
    public void Guest_mode_changes_exit_as_ghfc_when_guestctl0_mc_is_set()
    {
        // User mode (KSU = 2, EXL = 0) at a kuseg address unmapped by ERL... use EXL → ERET to user code in kseg2? Keep it simple:
        // SYSCALL from kernel code with EXL = 0 and KSU = user stays kernel while EXL = 1; so drop from kernel to user with ERET.
        var (m, exit) = RunUntilExit("""
                la $t0, user
                mtc0 $t0, $14
                li $t1, 0x00000012      # KSU = user, EXL = 1
                mtc0 $t1, $12
                eret
            user:
                nop
            """, mm => mm.Cpu.State.GuestCtl0 |= GuestCtl0Bits.MC);
        Assert.Multiple(() =>
        {
            Assert.That(exit.IsGuestExit(GuestExitCode.Ghfc), Is.True, exit.ToString());
            Assert.That(exit.Epc, Is.EqualTo(m.Symbol("user")), "the change is complete; EPC is the next guest PC");
        });
    }

    [TestCase("lw $t0, 0($t1)", ExcCode.TlbL)]
    [TestCase("sw $t0, 0($t1)", ExcCode.TlbS)]
    [TestCase("lbu $t0, 3($t1)", ExcCode.TlbL)]
    [TestCase("lwl $t0, 3($t1)", ExcCode.TlbL)]
    public void Unmapped_guest_physical_addresses_exit_as_gpa(string access, ExcCode code)
    {
        var (_, exit) = RunUntilExit("li $t1, 0xbf000000\n" + access); // kseg1 → GPA 0x1f000000, beyond RAM
        Assert.Multiple(() =>
        {
            Assert.That(exit.IsRootTlb, Is.True, exit.ToString());
            Assert.That(exit.ExcCode, Is.EqualTo(code));
            Assert.That(exit.GuestExitCode, Is.EqualTo(GuestExitCode.Gpa));
            Assert.That(exit.BadVAddr & ~3u, Is.EqualTo(0x1f00_0000u));
            Assert.That(exit.BadInstr, Is.EqualTo(Assembler.AssembleOne(access)));
            Assert.That(exit.Cause, Is.EqualTo((uint)code << 2));
        });
    }

    [Test]
    public void Stores_to_read_only_second_stage_pages_exit_as_modify()
    {
        var rom = new Dataspace(4096, "rom");
        rom.Span[0] = 9;
        var (m, exit) = RunUntilExit("li $t1, 0xa1f00000\nlw $s0, 0($t1)\nsw $s0, 0($t1)",
            mm => mm.Stage.Map(0x01f0_0000, rom, 0, 4096, writable: false));
        Assert.Multiple(() =>
        {
            Assert.That(m[16], Is.EqualTo(9u), "loads from a read-only page succeed");
            Assert.That(exit.ExcCode, Is.EqualTo(ExcCode.Mod), exit.ToString());
            Assert.That(exit.GuestExitCode, Is.EqualTo(GuestExitCode.Gpa));
            Assert.That(exit.BadVAddr, Is.EqualTo(0x01f0_0000u));
            Assert.That(exit.Epc, Is.EqualTo(TestMachine.CodeBase + 8));
        });
    }

    [Test]
    public void Instruction_fetch_from_an_unmapped_gpa_exits_without_badinstr()
    {
        var (_, exit) = RunUntilExit("li $t0, 0xbf000000\njr $t0\nnop");
        Assert.Multiple(() =>
        {
            Assert.That(exit.ExcCode, Is.EqualTo(ExcCode.TlbL));
            Assert.That(exit.Epc, Is.EqualTo(0xbf00_0000u));
            Assert.That(exit.BadVAddr, Is.EqualTo(0x1f00_0000u));
            Assert.That(exit.BadInstr, Is.Zero);
        });
    }

    [Test]
    public void Root_controlled_guest_mmu_exits_with_the_gva()
    {
        var options = new VcpuOptions { FiascoMasks = false };
        var (_, exit) = RunUntilExit("li $t1, 0x7f000000\nlw $t0, 0($t1)", m =>
        {
            m.Cpu.State.GuestCtl0 = (m.Cpu.State.GuestCtl0 & ~(3u << GuestCtl0Bits.AtShift)) | 1u << GuestCtl0Bits.AtShift;
            m.Cpu.State.Status = 0; // ERL = 0: kuseg is mapped
        }, options);
        Assert.Multiple(() =>
        {
            Assert.That(exit.ExcCode, Is.EqualTo(ExcCode.TlbL));
            Assert.That(exit.GuestExitCode, Is.EqualTo(GuestExitCode.Gva));
            Assert.That(exit.BadVAddr, Is.EqualTo(0x7f00_0000u));
        });
    }

    [Test]
    public void Fiasco_masks_force_at_3_on_guestctl0_writes()
    {
        var m = new TestMachine();
        m.Cpu.State.GuestCtl0 = 0xffff_ffff;
        Assert.Multiple(() =>
        {
            Assert.That((m.Cpu.State.GuestCtl0 >> GuestCtl0Bits.AtShift) & 3, Is.EqualTo(3u));
            Assert.That(m.Cpu.State.GuestCtl0 & GuestCtl0Bits.GM, Is.Zero);
            Assert.That(m.Cpu.State.GuestCtl0 & GuestCtl0Bits.Capabilities, Is.EqualTo(GuestCtl0Bits.Capabilities));
        });
        m.Cpu.State.GuestCtl0 = 0;
        Assert.That((m.Cpu.State.GuestCtl0 >> GuestCtl0Bits.AtShift) & 3, Is.EqualTo(3u));
    }

    [Test]
    public void Exits_in_delay_slots_report_bd_and_skip_to_the_branch_target()
    {
        var (m, exit) = RunUntilExit("""
                li $t1, 0xbf000000
            branch:
                beq $zero, $zero, target
                lw $t0, 0($t1)
                addiu $s0, $zero, 1
            target:
                addiu $s1, $zero, 2
                wait
            """);
        Assert.Multiple(() =>
        {
            Assert.That(exit.BranchDelay, Is.True);
            Assert.That(exit.Cause & Cp0Bits.CauseBD, Is.Not.Zero);
            Assert.That(exit.Epc, Is.EqualTo(m.Symbol("branch")));
            Assert.That(exit.BadInstrP, Is.EqualTo(m.ReadWord(m.Symbol("branch") & 0x1fff_ffff)));
            Assert.That(exit.BadInstr, Is.EqualTo(Assembler.AssembleOne("lw $t0, 0($t1)")));
        });
        m.Cpu.SetGpr(8, 0x1234); // the VMM emulates the MMIO load
        m.Cpu.SkipInstruction();
        m.RunToWait();
        Assert.That(new[] { m[8], m[16], m[17] }, Is.EqualTo(new uint[] { 0x1234, 0, 2 }));
    }

    [Test]
    public void Resuming_without_skip_retries_the_instruction_after_the_vmm_maps_memory()
    {
        var extra = new Dataspace(4096, "late");
        extra.Span[0] = 0x5a;
        var (m, exit) = RunUntilExit("li $t1, 0xa1800000\nlbu $s0, 0($t1)\nwait");
        Assert.That(exit.IsRootTlb, Is.True);
        m.Stage.Map(0x0180_0000, extra, 0, 4096);
        m.RunToWait();
        Assert.That(m[16], Is.EqualTo(0x5au));
    }

    [Test]
    public void Two_stage_translation_maps_guest_virtual_to_guest_physical_to_host()
    {
        // Guest TLB: VA 0x00400000 → GPA 0x02000000; second stage: GPA 0x02000000 → page 3 of another dataspace.
        var device = new Dataspace(4 * 4096, "backing");
        device.Span[3 * 4096 + 8] = 0x77;
        var (m, exit) = RunUntilExit($"""
                li $t0, 0x00400000
                mtc0 $t0, $10
                li $t0, 0x{(0x0200_0000u >> 12) << 6 | 0x1e:x}
                mtc0 $t0, $2
                mtc0 $zero, $3
                mtc0 $zero, $5
                mtc0 $zero, $0
                tlbwi
                mtc0 $zero, $12         # ERL = 0: kuseg is mapped
                li $t1, 0x00400008
                lbu $s0, 0($t1)
                li $t2, 0x66
                sb $t2, 1($t1)
                wait
            """, mm => mm.Stage.Map(0x0200_0000, device, 3 * 4096, 4096));
        Assert.Multiple(() =>
        {
            Assert.That(InstructionDecoder.DecodeOp(exit.BadInstr), Is.EqualTo(Op.Wait), exit.ToString());
            Assert.That(m[16], Is.EqualTo(0x77u));
            Assert.That(device.Span[3 * 4096 + 9], Is.EqualTo(0x66));
        });
    }

    [Test]
    public void Second_stage_changes_drop_stale_translations()
    {
        var a = new Dataspace(4096, "a");
        var b = new Dataspace(4096, "b");
        a.Span[0] = 1;
        b.Span[0] = 2;
        var m = new TestMachine();
        m.Stage.Map(0x0100_0000, a, 0, 4096);
        m.Load("""
            loop:
                li $t1, 0xa1000000
                lbu $s0, 0($t1)
                wait
                b loop
                nop
            """);
        m.RunToWait();
        Assert.That(m[16], Is.EqualTo(1u));
        m.Stage.Unmap(0x0100_0000, 4096);
        m.Stage.Map(0x0100_0000, b, 0, 4096);
        m.Cpu.SkipInstruction();
        m.RunToWait();
        Assert.That(m[16], Is.EqualTo(2u));
    }

    [Test]
    public void Virtual_interrupt_injection_raises_a_guest_interrupt()
    {
        var m = new TestMachine();
        m.WriteWord(0x180, 0x4200_0020);
        m.Load("""
                li $t0, 0x00000801      # IM3 (HW1) + IE
                mtc0 $t0, $12
            spin:
                b spin
                addiu $s0, $s0, 1
            """);
        m.UseRamVectors();
        m.Cpu.State.Status = 0;
        var limit = m.Cpu.Run(1000);
        Assert.That(limit.Reason, Is.EqualTo(VcpuExitReason.InstructionLimit));
        m.Cpu.SetVirtualInterrupt(3, true);
        Assert.That(m.Cpu.State.ModifiedCp0Map & VzStateFields.GuestCtl2, Is.Not.EqualTo(VzStateFields.None));
        var exit = m.RunToWait();
        Assert.Multiple(() =>
        {
            Assert.That(exit.Epc, Is.EqualTo(0x8000_0180u));
            Assert.That((m.Cpu.State.Cause >> 2) & 0x1f, Is.EqualTo((uint)ExcCode.Int));
            Assert.That(m.Cpu.State.Cause & 0x0800, Is.Not.Zero);
            Assert.That(m.Cpu.State.ModifiedCp0Map, Is.EqualTo(VzStateFields.None), "the resume consumed the modified map");
        });
    }

    [Test]
    public void Guest_timer_fires_when_count_reaches_compare()
    {
        var m = new TestMachine();
        m.WriteWord(0x180, 0x4200_0020);
        m.Load("""
                mfc0 $t0, $9
                addiu $t0, $t0, 100
                mtc0 $t0, $11           # Compare = Count + 100 (200 instructions)
                li $t0, 0x00008001      # IM7 + IE
                mtc0 $t0, $12
            spin:
                b spin
                addiu $s0, $s0, 1
            """);
        m.UseRamVectors();
        m.Cpu.State.GuestCtl0 |= GuestCtl0Bits.GT;
        m.Cpu.State.Status = 0;
        var exit = m.RunToWait();
        Assert.Multiple(() =>
        {
            Assert.That(exit.Epc, Is.EqualTo(0x8000_0180u));
            Assert.That(m.Cpu.State.Cause & Cp0Bits.CauseTI, Is.Not.Zero);
            Assert.That(m.Cpu.State.Cause & 0x8000, Is.Not.Zero, "TI raises IP7 (IntCtl.IPTI = 7)");
            Assert.That(m.Cpu.InstructionsRetired, Is.InRange(195, 205));
        });
    }

    [Test]
    public void Guest_count_is_root_count_plus_gtoffset()
    {
        var m = new TestMachine();
        m.Load("mfc0 $s0, $9\nwait");
        m.Cpu.State.GuestCtl0 |= GuestCtl0Bits.GT;
        m.Cpu.State.GtOffset = 1000;
        m.Cpu.AdvanceIdle(500);
        m.RunToWait();
        Assert.That(m[16], Is.EqualTo(1000u + 250u));
    }

    [Test]
    public void Vmm_writes_mark_groups_in_the_modified_map()
    {
        var m = new TestMachine();
        m.Cpu.State.ModifiedCp0Map = VzStateFields.None;
        m.Cpu.State.Status = 0;
        m.Cpu.State.Epc = 4;
        m.Cpu.State.GtOffset = 7;
        m.Cpu.State.SetKScratch(1, 9);
        Assert.That(m.Cpu.State.ModifiedCp0Map, Is.EqualTo(VzStateFields.Status | VzStateFields.Epc | VzStateFields.GtOffset | VzStateFields.Kscr));
    }

    [Test]
    public void The_llbit_modified_flag_clears_the_llbit_on_resume()
    {
        var m = new TestMachine();
        m.Load("""
                la $a0, word
                ll $t0, 0($a0)
                hypcall
                sc $t0, 0($a0)
                wait
            word: .word 0
            """);
        var exit = m.Cpu.Run(100);
        Assert.That(exit.IsGuestExit(GuestExitCode.Hypercall), Is.True);
        Assert.That(m.Cpu.State.LlBit, Is.True);
        m.Cpu.State.ModifiedCp0Map |= VzStateFields.LlBit;
        m.Cpu.SkipInstruction();
        m.RunToWait();
        Assert.That(m[8], Is.Zero, "SC fails after the root cleared the LLbit");
    }

    [Test]
    public void Stop_requests_end_the_run_at_an_instruction_boundary()
    {
        var m = new TestMachine();
        m.Load("loop:\nb loop\nnop");
        m.Cpu.RequestStop();
        var exit = m.Cpu.Run(1_000_000);
        Assert.Multiple(() =>
        {
            Assert.That(exit.Reason, Is.EqualTo(VcpuExitReason.Stopped));
            Assert.That(exit.Instructions, Is.Zero);
            Assert.That(exit.Epc, Is.EqualTo(TestMachine.CodeBase));
        });
    }
}

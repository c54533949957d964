using L4Re.Uvmm.Vmm;

namespace L4Re.Uvmm.Tests.Vmm;

/// <summary>
/// MMIO accesses in branch delay slots: the engine exits with Cause.BD, EPC at the branch, BadInstrP the branch;
/// the VMM emulates the access and continues where the branch goes (the target the engine recorded when the branch
/// executed), with the branch's link written before the delay-slot load.
/// </summary>
public class BranchDelaySlotTests
{
    private const ulong Dev = 0x1f000000; // kseg1 0xbf000000

    private static (VmmMachine M, MemoryDevice Mem) Setup()
    {
        var m = new VmmMachine();
        var mem = new MemoryDevice(0x100);
        m.Platform.Vm.Mmio.Add(Dev, 0x100, mem, "mem");
        mem.Bytes[0] = 0x2a;
        return (m, mem);
    }

    /// <summary>
    /// Runs <c>branch; lbu $v0, 0($a0)</c> (or <paramref name="slot"/>) with $t0/$t1 preset; the fall-through path
    /// sets $s0 = 1, the target path $s0 = 2. Returns the machine after the final WAIT.
    /// </summary>
    private static VmmMachine Run(string branch, uint t0, uint t1 = 0, string slot = "lbu $v0, 0($a0)")
    {
        var (m, _) = Setup();
        m.Load($"""
                li $a0, 0xbf000000
                li $t0, {t0}
                li $t1, {t1}
                la $t9, target
                li $ra, 0
            branch:
                {branch}
                {slot}
                li $s0, 1
                wait
                nop
            target:
                li $s0, 2
                wait
            """);
        var exit = m.NextExit();
        Assert.That(exit.BranchDelay && exit.Epc == m.Symbol("branch") && exit.IsRootTlb, Is.True, exit.ToString());
        Assert.That(m.Handler.Handle(m.Cpu, exit), Is.EqualTo(ExitAction.Resume));
        m.RunToWait();
        return m;
    }

    [TestCase("beq $t0, $t1, target", 5u, 5u, 2u)]
    [TestCase("beq $t0, $t1, target", 5u, 6u, 1u)]
    [TestCase("bne $t0, $t1, target", 5u, 6u, 2u)]
    [TestCase("bne $t0, $t1, target", 5u, 5u, 1u)]
    [TestCase("blez $t0, target", 0u, 0u, 2u)]
    [TestCase("blez $t0, target", 0x8000_0000u, 0u, 2u)]
    [TestCase("blez $t0, target", 1u, 0u, 1u)]
    [TestCase("bgtz $t0, target", 1u, 0u, 2u)]
    [TestCase("bgtz $t0, target", 0xffff_ffffu, 0u, 1u)]
    [TestCase("bltz $t0, target", 0xffff_fff0u, 0u, 2u)]
    [TestCase("bltz $t0, target", 0u, 0u, 1u)]
    [TestCase("bgez $t0, target", 0u, 0u, 2u)]
    [TestCase("bgez $t0, target", 0x8000_0000u, 0u, 1u)]
    [TestCase("j target", 0u, 0u, 2u)]
    [TestCase("jr $t9", 0u, 0u, 2u)]
    [TestCase("beql $t0, $t1, target", 3u, 3u, 2u)]
    [TestCase("bnel $t0, $t1, target", 3u, 4u, 2u)]
    [TestCase("bgezl $t0, target", 3u, 0u, 2u)]
    public void Conditional_branches_continue_where_the_branch_goes(string branch, uint t0, uint t1, uint path)
    {
        var m = Run(branch, t0, t1);
        Assert.That(m[16], Is.EqualTo(path));
        Assert.That(m[2], Is.EqualTo(0x2au), "the delay-slot load completed");
    }

    [TestCase("bltzal $t0, target", 0xffff_fff0u, 2u)]
    [TestCase("bltzal $t0, target", 1u, 1u)]
    [TestCase("bgezal $t0, target", 1u, 2u)]
    [TestCase("bal target", 0u, 2u)]
    [TestCase("jal target", 0u, 2u)]
    [TestCase("jalr $t9", 0u, 2u)]
    public void Branch_and_link_writes_ra_either_way(string branch, uint t0, uint path)
    {
        var m = Run(branch, t0);
        Assert.That(m[16], Is.EqualTo(path));
        Assert.That(m[31], Is.EqualTo(m.Symbol("branch") + 8));
    }

    [Test]
    public void The_branch_sees_the_registers_before_the_delay_slot_load()
    {
        // beq v0, zero, target ; lbu v0, 0(a0): the condition uses the old v0 (0), the load then sets v0.
        var m = Run("beq $v0, $zero, target", 0, slot: "lbu $v0, 0($a0)");
        Assert.That(m[16], Is.EqualTo(2u));
        Assert.That(m[2], Is.EqualTo(0x2au));
        // jal target ; lbu ra, 0(a0): the link is written first, the load overwrites it (as the hardware orders them).
        var m2 = Run("jal target", 0, slot: "lbu $ra, 0($a0)");
        Assert.That(m2[31], Is.EqualTo(0x2au));
    }

    [Test]
    public void Delay_slot_stores_work_too()
    {
        var (m, mem) = Setup();
        m.Load("""
                li $a0, 0xbf000000
                li $a1, 0x77
                b target
                sb $a1, 8($a0)
                li $s0, 1
            target:
                wait
            """);
        m.RunToWait();
        Assert.That(mem.Bytes[8], Is.EqualTo((byte)0x77));
        Assert.That(m[16], Is.Zero);
    }
}

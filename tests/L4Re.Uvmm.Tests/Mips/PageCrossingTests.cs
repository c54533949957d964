using L4Re.Uvmm.Mips;
using L4Re.Uvmm.Vz;

namespace L4Re.Uvmm.Tests.Mips;

/// <summary>
/// Execution across 4 KiB page boundaries: the interpreter walks decoded slots with a pointer and changes page at a
/// sentinel slot, so sequential flow, a delay slot on the next page, an exception there, and instruction limits that
/// stop right at the boundary must all behave as if there were no page at all.
/// </summary>
public class PageCrossingTests
{
    /// <summary>Four instructions before the boundary at 0x80002000, the branch being the last word of the first page.</summary>
    private const uint Start = 0x8000_1ff0;

    private const string BranchAcrossPages = """
        addiu $t0, $t0, 1
        addiu $t0, $t0, 2
        addiu $t0, $t0, 4
        bne $t0, $zero, target
        addiu $t1, $t1, 1
        addiu $t2, $t2, 1
        target:
        addiu $t3, $t3, 1
        addiu $t4, $t4, 1
        wait
        """;

    [Test]
    public void Sequential_flow_and_a_delay_slot_on_the_next_page()
    {
        var m = new TestMachine();
        m.Load(BranchAcrossPages, Start);
        var exit = m.RunToWait();
        Assert.Multiple(() =>
        {
            Assert.That(m[8], Is.EqualTo(7u));
            Assert.That(m[9], Is.EqualTo(1u), "the delay slot (first word of the next page) executes");
            Assert.That(m[10], Is.Zero, "the instruction after the slot is skipped");
            Assert.That(m[11], Is.EqualTo(1u));
            Assert.That(m[12], Is.EqualTo(1u));
            Assert.That(exit.Instructions, Is.EqualTo(7), "3 + branch + slot + 2 at the target; the exiting WAIT does not retire");
        });
    }

    [Test]
    public void Single_steps_across_the_boundary_match_one_run()
    {
        var m = new TestMachine();
        m.Load(BranchAcrossPages, Start);
        var pcs = new List<uint>();
        var slots = new List<bool>();
        long total = 0;
        VcpuExit exit;
        do
        {
            pcs.Add(m.Cpu.Pc);
            slots.Add(m.Cpu.InDelaySlot);
            exit = m.Cpu.Run(1);
            total += exit.Instructions;
        }
        while (exit.Reason == VcpuExitReason.InstructionLimit);
        Assert.Multiple(() =>
        {
            Assert.That(total, Is.EqualTo(7));
            Assert.That(pcs, Is.EqualTo(new uint[] { Start, Start + 4, Start + 8, Start + 12, 0x8000_2000, 0x8000_2008, 0x8000_200c, 0x8000_2010 }));
            Assert.That(slots, Is.EqualTo(new[] { false, false, false, false, true, false, false, false }), "the vCPU stopped between the branch and its slot on the next page");
            Assert.That(m[8] + m[9] + m[10] + m[11] + m[12], Is.EqualTo(10u));
        });
    }

    [Test]
    public void Exception_in_a_delay_slot_on_the_next_page_reports_the_branch()
    {
        var m = new TestMachine();
        foreach (var offset in new uint[] { 0x000, 0x180, 0x200 })
            m.WriteWord(offset, 0x4200_0020); // WAIT at the RAM vectors
        m.Load("""
            addiu $t0, $t0, 1
            addiu $t0, $t0, 2
            addiu $t0, $t0, 4
            bne $t0, $zero, target
            teq $zero, $zero
            target:
            wait
            """, Start);
        m.Cpu.State.EBase = 0x8000_0000;
        m.Cpu.State.Status = 0;
        var exit = m.RunToWait();
        Assert.Multiple(() =>
        {
            Assert.That(exit.Epc, Is.EqualTo(0x8000_0180u));
            Assert.That((m.Cpu.State.Cause >> 2) & 0x1f, Is.EqualTo((uint)ExcCode.Tr));
            Assert.That(m.Cpu.State.Epc, Is.EqualTo(Start + 12), "EPC = the branch on the previous page");
            Assert.That(m.Cpu.State.Cause & Cp0Bits.CauseBD, Is.Not.Zero);
            Assert.That(m[8], Is.EqualTo(7u));
        });
    }

    [Test]
    public void Falling_off_a_page_into_unmapped_memory_is_a_fetch_fault_at_the_next_page()
    {
        // 64 KiB of RAM: the last word of RAM is at GPA 0xfffc; the next page has no second-stage mapping.
        var m = new TestMachine(ramBytes: 0x1_0000);
        m.Load("""
            addiu $t0, $t0, 1
            addiu $t0, $t0, 2
            """, 0x8000_fff8);
        var exit = m.Cpu.Run(100);
        Assert.Multiple(() =>
        {
            Assert.That(exit.IsRootTlb, Is.True, exit.ToString());
            Assert.That(exit.GuestExitCode, Is.EqualTo(GuestExitCode.Gpa));
            Assert.That(exit.Epc, Is.EqualTo(0x8001_0000u));
            Assert.That(exit.BadVAddr, Is.EqualTo(0x0001_0000u));
            Assert.That(exit.Instructions, Is.EqualTo(2));
            Assert.That(m[8], Is.EqualTo(3u));
        });
    }
}

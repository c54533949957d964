using L4Re.Uvmm.Vz;

namespace L4Re.Uvmm.Tests.Mips;

/// <summary>A guest whose exception vector faults again loops taking exceptions, as hardware does; each one costs a cycle and run budget, so the VMM gets control back.</summary>
public class ExceptionStormTests
{
    [TestCase(1L)]
    [TestCase(1000L)]
    [TestCase(250_000L)]
    public void A_faulting_exception_vector_uses_up_the_budget_and_time(long budget)
    {
        var m = new TestMachine();
        m.UseRamVectors();
        m.WriteWord(0x180, 0x0000_000c); // the general vector: SYSCALL, which faults again (EXL set: EPC stays)
        m.Load("syscall\nnop");
        var exit = m.Cpu.Run(budget);
        Assert.Multiple(() =>
        {
            Assert.That(exit.Reason, Is.EqualTo(VcpuExitReason.InstructionLimit));
            Assert.That(exit.Instructions, Is.Zero, "no instruction retired");
            Assert.That(m.Cpu.Cycles, Is.EqualTo((ulong)budget), "one cycle per exception taken");
            Assert.That(m.Cpu.Pc, Is.EqualTo(0x8000_0180u));
            Assert.That(m.Cpu.State.Epc, Is.EqualTo(TestMachine.CodeBase));
        });
        var again = m.Cpu.Run(10);
        Assert.That((again.Reason, m.Cpu.Cycles), Is.EqualTo((VcpuExitReason.InstructionLimit, (ulong)budget + 10)));
    }
}

using L4Re.Kernel.Abi;

namespace L4Re.Kernel.Tests;

public class OpcodeTests
{
    [Test]
    public void Opcodes_have_the_l4re_values()
    {
        Assert.That((ulong)TaskOp.Map, Is.Zero);
        Assert.That((ulong)TaskOp.Unmap, Is.EqualTo(1UL));
        Assert.That((ulong)TaskOp.CapInfo, Is.EqualTo(2UL));
        Assert.That((ulong)ThreadOp.VcpuResume, Is.EqualTo(4UL));
        Assert.That((ulong)ThreadOp.VcpuControl, Is.EqualTo(7UL));
        Assert.That((ulong)ThreadControlFlags.SetPager, Is.EqualTo(0x10000UL));
        Assert.That((ulong)ThreadControlFlags.BindTask, Is.EqualTo(0x200000UL));
        Assert.That((ulong)ThreadControlFlags.Alien, Is.EqualTo(0x400000UL));
        Assert.That((ulong)ThreadControlFlags.SetExcHandler, Is.EqualTo(0x1000000UL));
        Assert.That((ulong)IrqOp.Trigger, Is.EqualTo(2UL));
        Assert.That((ulong)IrqOp.Eoi, Is.EqualTo(4UL));
        Assert.That((ulong)IrqSenderOp.Detach, Is.EqualTo(1UL));
        Assert.That((ulong)IrqSenderOp.BindVcpu, Is.EqualTo(2UL));
        Assert.That((ulong)IcuOp.SetMode, Is.EqualTo(6UL));
        Assert.That((ulong)SchedulerOp.IdleTime, Is.EqualTo(2UL));
        Assert.That((ulong)RcvEndpointOp.Bind, Is.EqualTo(0x10UL));
        Assert.That((ulong)RcvEndpointOp.GetInfo, Is.EqualTo(0x11UL));
        Assert.That((ulong)VlogOp.GetAttr, Is.EqualTo(3UL));
        Assert.That((uint)UnmapFlags.AllSpaces, Is.EqualTo(0x80000000u));
        Assert.That((uint)UnmapFlags.DeleteObj, Is.EqualTo(0xC0000000u));
        Assert.That((short)ProtocolLabel.VcpuContext, Is.EqualTo(-25));
    }
}

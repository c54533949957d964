using L4Re.Uvmm.Vmm;

namespace L4Re.Uvmm.Tests.Vmm;

public class IrqSinkTests
{
    [Test]
    public void Tells_the_controller_only_about_level_changes()
    {
        var ic = new FakeController();
        var sink = new IrqSink(ic, 5);
        sink.Inject();
        sink.Inject();
        Assert.That(ic.Level[5], Is.EqualTo(1));
        Assert.That(sink.IsAsserted, Is.True);
        sink.Ack();
        sink.Ack();
        Assert.That(ic.Level[5], Is.Zero);
        sink.SetLevel(true);
        Assert.That(ic.Level[5], Is.EqualTo(1));
    }

    [Test]
    public void Rebinding_deasserts_at_the_old_controller()
    {
        var a = new FakeController();
        var b = new FakeController();
        var sink = new IrqSink(a, 3);
        sink.Inject();
        sink.Rebind(b, 4);
        Assert.That(a.Level[3], Is.Zero);
        Assert.That(sink.IsAsserted, Is.False);
        sink.Inject();
        Assert.That(b.Level[4], Is.EqualTo(1));
    }

    [Test]
    public void An_unconnected_line_does_nothing() => Assert.DoesNotThrow(() =>
    {
        var sink = new IrqSink();
        sink.Inject();
        sink.Ack();
    });
}

using L4Re.Kernel.Abi;
using L4Re.Kernel.Objects;

namespace L4Re.Kernel.Tests;

public class SmokeTests
{
    [Test]
    public void Call_through_a_gate_reaches_a_sync_server_and_returns_its_reply()
    {
        var f = new Fixture();
        var server = new IncrementServer();
        var (_, st) = f.ServerTask("server", server);
        var (client, ct) = f.HostTask("client");
        var gate = f.Root.CreateGate(st, 0x40);
        client.InsertCapability(10, gate, CapRights.RW);
        ct.Utcb.Mr[0] = 41;
        var r = ct.Call(CapSel.FromIndex(10), new MsgTag(0, 1, 0, 0));
        Assert.That(r.HasError, Is.False, r.ToString());
        Assert.That(ct.Utcb.Mr[0], Is.EqualTo(42UL));
        Assert.That(ct.Utcb.Mr[1], Is.EqualTo(0x41UL), "gate label | W right");
        Assert.That(server.Calls, Is.EqualTo(1));
    }
}

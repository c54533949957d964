using L4Re.Kernel.Boot;

namespace L4Re.Kernel.Tests;

public class DemoAndGraphTests
{
    [Test]
    public void Demo_scenario_runs_to_its_end_through_capabilities_and_ipc()
    {
        var sys = DemoScenario.Build();
        Assert.That(sys.Kernel.Run(), Is.EqualTo(RunOutcome.Idle));
        var log = sys.Kernel.Log.Output;
        Assert.That(log, Does.Contain("root: server and client started"));
        Assert.That(log, Does.Contain("client: wrote and read back \"hello\" through the pager"));
        Assert.That(log, Does.Contain("client: 2 + 40 = 42"));
        Assert.That(log, Does.Not.Contain("failed"));
        var trace = sys.Kernel.Trace.ToString();
        Assert.That(trace, Does.Contain("pf "));
        Assert.That(trace, Does.Contain("create"));
    }

    [Test]
    public void Demo_trace_is_deterministic()
    {
        var a = DemoScenario.Build();
        a.Kernel.Run();
        var b = DemoScenario.Build();
        b.Kernel.Run();
        Assert.That(b.Kernel.Trace.ToString(), Is.EqualTo(a.Kernel.Trace.ToString()));
    }

    [Test]
    public void Capability_graph_is_dot_with_tasks_objects_and_rights()
    {
        var sys = DemoScenario.Build();
        sys.Kernel.Run();
        var dot = CapabilityGraph.ToDot(sys.Kernel);
        Assert.That(dot, Does.StartWith("digraph capabilities {"));
        Assert.That(dot.TrimEnd(), Does.EndWith("}"));
        Assert.That(dot, Does.Contain($"o{sys.RootTask.Id} -> o{sys.Kernel.RootFactory.Id} [label=\"2: RWSD\"]"));
        Assert.That(dot, Does.Contain("bound, label 0x10"));
        Assert.That(dot, Does.Contain("runs in"));
    }
}

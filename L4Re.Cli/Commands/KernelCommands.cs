using System.CommandLine;
using System.Globalization;
using L4Re.Kernel;
using L4Re.Kernel.Boot;
using L4Re.Kernel.Objects;

namespace L4Re.Cli.Commands;

/// <summary><c>l4re kernel …</c>: the capability microkernel model.</summary>
internal static class KernelCommands
{
    public static Command Create(TextWriter stdout)
    {
        var kernel = new Command("kernel", "The L4Re capability microkernel model (Fiasco semantics).");

        var demo = new Command("demo", "Boot a small scripted system (root task, a server task behind an IPC gate that is also the client's pager, a client task) and print the kernel trace and the log.");
        var noTrace = new Option<bool>("--no-trace") { Description = "Print only the kernel log, not the event trace." };
        demo.Options.Add(noTrace);
        demo.SetAction(parse =>
        {
            var sys = DemoScenario.Build();
            var outcome = sys.Kernel.Run();
            if (!parse.GetValue(noTrace))
            {
                stdout.WriteLine("# kernel trace (virtual time)");
                foreach (var e in sys.Kernel.Trace.Events)
                    stdout.WriteLine(e);
                stdout.WriteLine();
            }
            stdout.WriteLine("# kernel log");
            stdout.Write(sys.Kernel.Log.Output);
            stdout.WriteLine();
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"# {outcome} at {sys.Kernel.Now / 1000.0:F1} us virtual time, idle {sys.Kernel.IdleNs / 1000.0:F1} us; root factory {sys.Kernel.RootFactory.Used} of {sys.Kernel.RootFactory.Limit} bytes used"));
            return 0;
        });
        kernel.Subcommands.Add(demo);

        var graph = new Command("graph", "Print the capability graph of the demo system (tasks -> objects with slot and rights).");
        var dot = new Option<bool>("--dot") { Description = "Print Graphviz DOT (default: a text listing)." };
        graph.Options.Add(dot);
        graph.SetAction(parse =>
        {
            var sys = DemoScenario.Build(new KernelOptions());
            sys.Kernel.Run();
            if (parse.GetValue(dot))
            {
                stdout.Write(CapabilityGraph.ToDot(sys.Kernel));
                return 0;
            }
            foreach (var task in sys.Kernel.Tasks)
            {
                if (task.Caps is not { } caps)
                    continue;
                stdout.WriteLine(task);
                foreach (var c in caps.Enumerate())
                    stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {c.Index,4}: {CapabilityGraph.Rights(c.Rights),-4} {c.Object}{(c.IsCounted ? "" : " (weak)")}"));
            }
            return 0;
        });
        kernel.Subcommands.Add(graph);
        return kernel;
    }
}

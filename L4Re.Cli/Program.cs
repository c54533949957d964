using System.CommandLine;
using L4Re.Cli.Commands;

namespace L4Re.Cli;

/// <summary>Entry point of the <c>l4re</c> tool.</summary>
public static class Program
{
    /// <summary>Builds the command tree: one command group per file under <c>Commands/</c>.</summary>
    public static RootCommand BuildRootCommand(TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("l4re — the L4Re router SDK tool: MIPS VZ vCPU, uvmm, wireless-regdb, kernel model.");
        root.Subcommands.Add(PlatformCommands.Create(stdout));
        root.Subcommands.Add(RegdbCommands.Create(stdout, stderr));
        root.Subcommands.Add(IoCommands.Create(stdout, stderr));
        root.Subcommands.Add(RunElfCommand.Create(stdout, stderr));
        root.Subcommands.Add(KernelCommands.Create(stdout));
        root.Subcommands.Add(VioCommands.Create(stdout, stderr));
        root.Subcommands.Add(BootCommand.Create(stdout, stderr));
        root.Subcommands.Add(BootPairCommand.Create(stdout, stderr));
        return root;
    }

    /// <summary>Runs the tool with <paramref name="args"/> and returns the process exit code.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = BuildRootCommand(stdout, stderr);
        var config = new InvocationConfiguration { Output = stdout, Error = stderr };
        return root.Parse(args).Invoke(config);
    }

    /// <summary>Process entry point.</summary>
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);
}

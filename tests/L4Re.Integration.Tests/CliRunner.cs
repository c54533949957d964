namespace L4Re.Integration.Tests;

/// <summary>Runs the <c>l4re</c> tool in-process and captures its output.</summary>
internal static class CliRunner
{
    public static (int ExitCode, string Stdout, string Stderr) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var rc = L4Re.Cli.Program.Run(args, stdout, stderr);
        return (rc, stdout.ToString(), stderr.ToString());
    }
}

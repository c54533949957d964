using System.Diagnostics;

namespace L4Re.Uvmm.Tests.DeviceTree;

/// <summary>Runs the Device Tree Compiler (Debian package device-tree-compiler) as a reference.</summary>
internal static class Dtc
{
    public const string Path = "/usr/bin/dtc";

    public sealed record Result(int ExitCode, byte[] Output, string Errors);

    /// <summary>Runs dtc with <paramref name="arguments"/>, feeding <paramref name="input"/> on stdin ("-" input).</summary>
    public static Result Run(string arguments, byte[] input)
    {
        if (!File.Exists(Path))
            Assert.Fail($"{Path} is missing: install the Debian package device-tree-compiler (build.cake's Prerequisites does)");
        var psi = new ProcessStartInfo(Path, arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var p = Process.Start(psi)!;
        var errors = p.StandardError.ReadToEndAsync();
        using var output = new MemoryStream();
        var copy = p.StandardOutput.BaseStream.CopyToAsync(output);
        p.StandardInput.BaseStream.Write(input);
        p.StandardInput.Close();
        copy.Wait();
        p.WaitForExit();
        return new Result(p.ExitCode, output.ToArray(), errors.Result);
    }

    /// <summary>Compiles DTS source to a DTB with dtc.</summary>
    public static byte[] Compile(string dts)
    {
        var r = Run("-q -I dts -O dtb -", System.Text.Encoding.UTF8.GetBytes(dts));
        Assert.That(r.ExitCode, Is.Zero, $"dtc could not compile the test source: {r.Errors}");
        return r.Output;
    }

    /// <summary>Decompiles a DTB with dtc, asserting that dtc accepts it without errors.</summary>
    public static string Decompile(byte[] dtb)
    {
        var r = Run("-I dtb -O dts -", dtb);
        Assert.That(r.ExitCode, Is.Zero, $"dtc rejected our DTB: {r.Errors}");
        Assert.That(r.Errors, Does.Not.Contain("ERROR"), "dtc reported errors");
        return System.Text.Encoding.UTF8.GetString(r.Output);
    }

    /// <summary>dtc -I dtb -O dtb: re-flattens a blob the way dtc lays it out.</summary>
    public static byte[] Reflatten(byte[] dtb)
    {
        var r = Run("-q -I dtb -O dtb -", dtb);
        Assert.That(r.ExitCode, Is.Zero, $"dtc rejected our DTB: {r.Errors}");
        return r.Output;
    }
}

using System.CommandLine;
using L4Re.Uvmm.Vz;

namespace L4Re.Cli.Commands;

/// <summary>
/// <c>l4re run-elf FILE [--max-instructions N] [--json]</c>: runs a bare-metal MIPS32 ELF (kseg0 addresses) on a
/// fresh VM with 64 MiB of RAM and one P5600 vCPU from the architectural reset state, until WAIT with interrupts
/// disabled, an unhandled HYPCALL, a fault, or the instruction limit; prints the registers (JSON with --json).
/// </summary>
internal static class RunElfCommand
{
    /// <summary>Default instruction limit.</summary>
    public const long DefaultMaxInstructions = 1_000_000_000;

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<FileInfo>("FILE") { Description = "A little-endian MIPS32 ELF executable linked at kseg0 addresses." };
        var max = new Option<long>("--max-instructions")
        {
            Description = "Stop after this many guest instructions.",
            DefaultValueFactory = _ => DefaultMaxInstructions,
        };
        var json = new Option<bool>("--json") { Description = "Print one JSON object: exit, pc, instructions, gpr[32], hi, lo." };
        var command = new Command("run-elf", "Run a bare-metal MIPS32 ELF on a P5600 VZ vCPU (64 MiB RAM) and print its registers.")
        {
            file, max, json,
        };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(file)!;
            var limit = parse.GetValue(max);
            if (limit < 0)
            {
                stderr.WriteLine("run-elf: --max-instructions must not be negative");
                return 2;
            }
            BareMetalMachine machine;
            try
            {
                var image = Elf32Image.Parse(File.ReadAllBytes(path.FullName));
                machine = new BareMetalMachine(console: parse.GetValue(json) ? stderr : stdout);
                machine.Load(image);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                stderr.WriteLine($"run-elf: {path.Name}: {e.Message}");
                return 2;
            }
            var result = machine.Run(limit);
            stdout.WriteLine(parse.GetValue(json) ? BareMetalReport.ToJson(result, machine.Vcpu) : BareMetalReport.ToText(result, machine.Vcpu));
            return 0;
        });
        return command;
    }
}

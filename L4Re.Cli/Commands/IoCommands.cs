using System.CommandLine;
using L4Re.Io;
using L4Re.Io.Config;
using L4Re.Io.Dma;
using L4Re.Io.Vbus;

namespace L4Re.Cli.Commands;

/// <summary><c>l4re io …</c>: check, show and format io configurations (docs/io.md).</summary>
internal static class IoCommands
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var io = new Command("io", "io/vbus device pass-through configurations (docs/io.md).");
        var file = new Argument<FileInfo>("file") { Description = "An io configuration in the text format." };
        var noIommu = new Option<bool>("--no-iommu") { Description = "Model a platform without an IOMMU (Baikal-T1): DMA reaches all RAM." };

        var check = new Command("check", "Parse and load a configuration; print every error with its location.") { file, noIommu };
        check.SetAction(r => Load(r.GetValue(file)!, r.GetValue(noIommu), stderr) is { } server
            ? Print(stdout, $"ok: {server.Hardware.Devices.Count} devices, {server.Vbuses.Count} vbuses, {server.DmaMode} DMA")
            : 1);

        var show = new Command("show", "Show what each vbus client sees: devices, resources, DMA domains.") { file, noIommu };
        show.SetAction(r =>
        {
            if (Load(r.GetValue(file)!, r.GetValue(noIommu), stderr) is not { } server)
                return 1;
            stdout.WriteLine($"DMA mode: {server.DmaMode}{(server.DmaMode == DmaMode.CpuPhys ? " (no IOMMU: every DMA-capable device reaches all RAM)" : "")}");
            foreach (var bus in server.Vbuses)
            {
                stdout.WriteLine($"vbus {bus.Name}");
                stdout.WriteLine($"  {VirtualBus.IcuHandle} {VirtualBus.IcuName} hid \"{VirtualBus.IcuHid}\" (the vbus ICU; IRQs {(bus.Irqs.Count == 0 ? "-" : string.Join(", ", bus.Irqs.Keys))})");
                foreach (var d in bus.Devices)
                {
                    stdout.WriteLine($"  {d.Handle} {d.Name}{(d.Hid is null ? "" : $" hid \"{d.Hid}\"")}{(d.Pci is null ? "" : $" {d.Pci}")}");
                    foreach (var res in d.Resources)
                        stdout.WriteLine($"    {res.Resource}");
                }
            }
            var free = server.Hardware.Devices.Where(d => server.OwnerOf(d.Name) is null).Select(d => d.Name).ToList();
            stdout.WriteLine($"unclaimed: {(free.Count == 0 ? "-" : string.Join(", ", free))}");
            return 0;
        });

        var format = new Command("format", "Print a configuration in canonical form.") { file };
        format.SetAction(r =>
        {
            if (Parse(r.GetValue(file)!, stderr) is not { } config)
                return 1;
            stdout.Write(IoConfigWriter.Write(config));
            return 0;
        });

        io.Subcommands.Add(check);
        io.Subcommands.Add(show);
        io.Subcommands.Add(format);
        return io;
    }

    private static int Print(TextWriter w, string line)
    {
        w.WriteLine(line);
        return 0;
    }

    private static IoConfig? Parse(FileInfo file, TextWriter stderr)
    {
        string text;
        try
        {
            text = File.ReadAllText(file.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"{file.Name}: {e.Message}");
            return null;
        }
        if (IoConfigParser.TryParse(text, file.Name, out var config, out var errors))
            return config;
        foreach (var e in errors)
            stderr.WriteLine(e);
        return null;
    }

    private static IoServer? Load(FileInfo file, bool noIommu, TextWriter stderr)
    {
        if (Parse(file, stderr) is not { } config)
            return null;
        var server = new IoServer(dmaMode: noIommu ? DmaMode.CpuPhys : DmaMode.Iommu);
        try
        {
            server.Load(config);
            return server;
        }
        catch (IoConfigException e)
        {
            foreach (var err in e.Errors)
                stderr.WriteLine(err);
            return null;
        }
    }
}

using FsCheck;
using FsCheck.Fluent;
using L4Re.Io.Client;
using L4Re.Io.Config;
using L4Re.Io.Ipc;
using L4Re.Io.Hw;
using L4Re.Io.Vbus;
using L4Re.Kernel.Abi;

namespace L4Re.Io.Tests;

/// <summary>FsCheck over random device sets and vbus configurations, loaded in two stages.</summary>
public class IsolationProperties
{
    private static string Snapshot(IoServer io) =>
        string.Join(";", io.Hardware.Devices.Select(d => d.Name + "@" + (io.OwnerOf(d.Name)?.Name ?? "-"))) + "|" +
        string.Join(";", io.Vbuses.Select(v => v.Name + ":" + string.Join(",", v.Devices.Select(d => d.Name))));

    /// <summary>Everything a client can obtain through its vbus capability, by enumeration and get_resource over IPC.</summary>
    private static List<(string Device, Resource Resource)> ClientView(IoServer io, VirtualBus bus, out VbusClient client)
    {
        var task = io.Kernel.RootFactory.CreateTask(bus.Name + "-client");
        var thread = io.Kernel.RootFactory.CreateThread(bus.Name + "-client");
        thread.Bind(task);
        thread.Drive();
        io.Connect(bus.Name, task, CapSel.FromIndex(0x10));
        client = new VbusClient(thread, CapSel.FromIndex(0x10));
        if (client.Enumerate(out var devices) != L4Error.Ok)
            throw new AssertionException($"enumerating {bus.Name} failed: {client.LastResult}");
        if (devices.Count == 0 || devices[0].Info.Name != VirtualBus.IcuName)
            throw new AssertionException($"{bus.Name}: the ICU is not the first device");
        var seen = new List<(string, Resource)>();
        foreach (var (info, _, resources) in devices.Skip(1))
            foreach (var r in resources)
            {
                if (r.Provider != info.Handle)
                    throw new AssertionException($"resource {r} is provided by {r.Provider}, not {info.Handle}");
                seen.Add((info.Name, r.Resource));
            }
        // Handles that are not on the bus give nothing.
        for (var h = -3L; h < 40; h++)
            if ((h < 2 || h > bus.Devices.Count + 1) && client.GetResource(new VbusDeviceHandle(h), 0, out _) == L4Error.Ok)
                throw new AssertionException($"handle {h} is not on {bus.Name} but yields a resource");
        return seen;
    }

    private static Property Stage(IoServer io, Scenario s)
    {
        var before = Snapshot(io);
        var owners = io.Hardware.Devices.Where(d => io.OwnerOf(d.Name) is not null).ToDictionary(d => d, d => io.OwnerOf(d.Name)!.Name);
        var (buses, expectedErrors) = s.Predict(io.Hardware.Devices, owners);
        try
        {
            io.Load(s.Config);
        }
        catch (IoConfigException e)
        {
            var codes = e.Errors.Select(x => x.Code).ToHashSet();
            return (codes.SetEquals(expectedErrors) && Snapshot(io) == before && e.Errors.All(x => x.Location != ConfigLocation.Unknown))
                .Label($"errors {string.Join(",", codes)} expected {string.Join(",", expectedErrors)}; unchanged: {Snapshot(io) == before}");
        }
        if (expectedErrors.Count > 0)
            return false.Label($"load succeeded, expected {string.Join(",", expectedErrors)}");

        // Every device lands in at most one vbus.
        var placed = io.Vbuses.SelectMany(v => v.Devices.Select(d => d.Name)).ToList();
        if (placed.Count != placed.Distinct().Count())
            return false.Label("a device is on two vbuses");

        foreach (var (name, expected) in buses)
        {
            var bus = io.FindVbus(name)!;
            if (!bus.Devices.Select(d => d.Name).SequenceEqual(expected.Select(d => d.Name)))
                return false.Label($"{name}: {string.Join(",", bus.Devices.Select(d => d.Name))} expected {string.Join(",", expected.Select(d => d.Name))}");
            if (expected.Any(d => io.OwnerOf(d.Name) != bus))
                return false.Label($"{name}: owner map disagrees");

            // The client obtains exactly its devices' resources (and DMA domains), nothing else.
            var view = ClientView(io, bus, out var client);
            var allowed = expected.SelectMany(d => d.Resources.Select(r => (d.Name, r.Value))).ToList();
            var hw = view.Where(x => x.Resource.Type != ResourceType.DmaDomain).ToList();
            if (!hw.SequenceEqual(allowed))
                return false.Label($"{name}: client view differs from its devices' resources");
            if (view.Count(x => x.Resource.Type == ResourceType.DmaDomain) != expected.Count(d => d.DmaCapable))
                return false.Label($"{name}: DMA domains");

            // No MMIO window of a device on another bus (or on none) can be mapped through the capability; its own can.
            var local = 0x4000_0000UL;
            foreach (var d in io.Hardware.Devices)
                foreach (var r in d.Resources.Where(r => r.Value.Type == ResourceType.Mem))
                {
                    var err = client.MapMmio(r.Value.Start, local += 0x10_0000, DataspaceMapFlags.RW, null, out _);
                    if ((err == L4Error.Ok) != expected.Contains(d))
                        return false.Label($"{name}: mapping {d.Name}.{r.Name} gave {err}");
                    if (err == L4Error.Ok && !client.Thread.Task!.Memory.TryTranslate(local, out _))
                        return false.Label($"{name}: {d.Name}.{r.Name} mapped but not there");
                }
        }
        return true.ToProperty();
    }

    [FsCheck.NUnit.Property(MaxTest = 300, Replay = "20260101,12345", QuietOnSuccess = true)]
    public Property Devices_land_in_at_most_one_vbus_and_clients_see_only_their_own(int seed)
    {
        var rnd = new Random(seed);
        var io = new IoServer();
        var first = Scenario.Generate(rnd, "d", 0x1000_0000, 100, [], 0);
        var p1 = Stage(io, first);
        var second = Scenario.Generate(rnd, "e", 0x2000_0000, 500, io.Hardware.Devices, 1);
        var p2 = Stage(io, second);
        return p1.And(p2);
    }

    [FsCheck.NUnit.Property(MaxTest = 200, Replay = "777,999", QuietOnSuccess = true)]
    public Property Conflicting_hardware_is_refused_whole_with_locations(int seed)
    {
        var rnd = new Random(seed);
        var io = new IoServer();
        var baseline = Scenario.Generate(rnd, "d", 0x1000_0000, 100, [], 0);
        try { io.Load(new IoConfig(baseline.Devices, [])); } catch (IoConfigException) { return true.ToProperty(); }
        if (io.Hardware.Devices.Count == 0)
            return true.ToProperty();
        var before = Snapshot(io);

        // A new device that reuses a random existing MMIO window or exclusive IRQ line, plus a valid one.
        var victim = io.Hardware.Devices[rnd.Next(io.Hardware.Devices.Count)];
        var res = victim.Resources[rnd.Next(victim.Resources.Count)];
        var b = new HwDeviceBuilder("intruder", "gen").AddResource(res.Value with { Start = res.Value.Start, End = res.Value.Start });
        var fine = new HwDeviceBuilder("fine", "gen").Mmio("m0", 0x7000_0000, 0x1000).Build();
        var expected = res.Value.Type == ResourceType.Mem ? ConfigErrorCode.OverlappingRegion : ConfigErrorCode.DuplicateIrq;
        if (res.Shared)
            b = new HwDeviceBuilder("intruder", "gen").Irq("s0", (uint)res.Value.Start, IrqMode.LevelLow, shared: true);
        try
        {
            io.Load(new IoConfig([fine, b.Build()], []));
            return false.Label("conflict accepted");
        }
        catch (IoConfigException e)
        {
            var err = e.Errors.Single();
            // The message names the intruder and one device that holds the line or window (a shared line has several).
            var holders = io.Hardware.Devices.Where(d => d.Resources.Any(r => r.Value.Overlaps(res.Value))).Select(d => $"device '{d.Name}'");
            return (err.Code == expected && err.Location.Path!.Contains("intruder", StringComparison.Ordinal)
                    && holders.Any(h => err.Message.Contains(h, StringComparison.Ordinal)) && Snapshot(io) == before && io.Hardware.Find("fine") is null)
                .Label($"{err}");
        }
    }
}

using System.Globalization;
using System.Text;
using L4Re.Io.Dma;
using L4Re.Kernel.Abi;
using L4Re.Platform.BaikalT.Board;
using L4Re.Platform.BaikalT.Guest;
using L4Re.Platform.BaikalT.Composition;
using L4Re.Platform.BaikalT.Soc;
using L4Re.Platform.BaikalT.Trusted;
using L4Re.Platform.BaikalT.Vm;
using L4Re.Platform.BaikalT.Wifi;
using L4Re.Regulatory.Gate;
using Microsoft.Extensions.Logging;

namespace PrplRouter;

/// <summary>
/// The prpl router story (docs/sample.md): boots the router, runs the OpenWrt stand-in in its VM — legal, too strong,
/// DFS-before-CAC, DFS-after-CAC, country-change and malformed radio requests, frames through the switch, a radar on
/// the operating channel, a direct attempt at the NIC — sends hostile IPC to the trusted component, shows the DMA
/// isolation with and without an IOMMU, writes a readable report and checks every expectation.
/// </summary>
public static partial class Scenario
{
    /// <summary>The DFS channel of the story (MHz).</summary>
    public const int DfsChannel = 5260;

    /// <summary>The radar appears this long after the NIC starts transmitting on <see cref="DfsChannel"/>.</summary>
    public static readonly TimeSpan RadarDelay = TimeSpan.FromSeconds(2);

    /// <summary>The NIC register the guest attacks (TX_POWER) and the value it writes (30 dBm).</summary>
    public const uint ProbeOffset = WifiNicRegisters.TxPower, ProbeValue = 3000;

    /// <summary>The payload a Wi-Fi station sends.</summary>
    public const string StationText = "hello from a Wi-Fi station";

    /// <summary>The payload OpenWrt sends to the radio.</summary>
    public const string GuestText = "hello from OpenWrt over the air";

    /// <summary>The guest's script for <paramref name="country"/>.</summary>
    public static IReadOnlyList<GuestStep> Script(string country) =>
    [
        new GuestStep.Print("OpenWrt (stand-in) up on a P5600 vCPU"),
        new GuestStep.Radio("info"),
        new GuestStep.Radio("set 5180 80 17 ap"),
        new GuestStep.SendFrame(GuestText),
        new GuestStep.Sleep(1),
        new GuestStep.Radio("set 5180 80 30 ap"),
        new GuestStep.Radio($"set {DfsChannel} 80 20 ap"),
        new GuestStep.Radio($"cac {DfsChannel} 80"),
        new GuestStep.Sleep(61),
        new GuestStep.Radio($"set {DfsChannel} 80 20 ap"),
        new GuestStep.Radio($"country {(country == "DE" ? "US" : "DE")}"),
        new GuestStep.Radio("set 5180 35 17 ap"),
        new GuestStep.Radio("set 5180 eighty 17 ap"),
        new GuestStep.Sleep(5),
        new GuestStep.Radio("status"),
        new GuestStep.Radio($"set {DfsChannel} 80 20 ap"),
        new GuestStep.PollFrames(),
        new GuestStep.ProbeNic(ProbeOffset, ProbeValue),
    ];

    /// <summary>Runs the story; writes the report to <paramref name="report"/>.</summary>
    public static ScenarioResult Run(ScenarioOptions options, TextWriter report, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var log = loggerFactory.CreateLogger("PrplRouter");
        var expectations = new List<Expectation>();
        var country = options.Country.ToUpperInvariant();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.PcapPath))!);

        LogStart(log, country, options.Iommu);
        using var router = new RouterBuilder()
            .WithLogging(loggerFactory)
            .WithCountry(country)
            .WithIommu(options.Iommu)
            .WithPcap(options.PcapPath)
            .WithGuestScript(Script(country))
            .WithRadar(DfsChannel, RadarDelay)
            .WithStation(StationFrame(), TimeSpan.FromMilliseconds(500))
            .Build();
        var w = new ReportWriter(report);

        w.Title("prpl Wi-Fi router on a virtual Baikal-T1 (L4Re microhypervisor model)");
        Board(w, router, options);
        Boot(w, router, expectations);

        w.Section("3. The untrusted OpenWrt VM runs (console: UART1, passed through)");
        router.Vmm!.ConsoleLine = line => w.Line("   | " + line);
        var vm = router.RunGuest();
        w.Line($"   VM stopped: {vm.Stop}: {vm.Reason}");
        w.Line(string.Create(CultureInfo.InvariantCulture, $"   {vm.Instructions:N0} guest instructions, {vm.VirtualNs / 1e9:0.000} s of virtual time"));
        LogVm(log, vm.Stop.ToString(), vm.VirtualNs / 1e9);

        w.Section("4. The trusted Wi-Fi component (virtual time)");
        foreach (var e in router.Wifi.Events)
            w.Line("   " + e);
        w.Line("   radio environment:");
        foreach (var e in router.Environment.Log)
            w.Line("   " + e);

        RadioStory(router, vm, expectations);
        HostileIpc(w, router, expectations);
        Emissions(w, router, expectations);
        var (pcapFrames, pcapBytes) = Network(w, router, options, expectations);
        Dma(w, router, options, country, expectations);

        w.Section("9. Expectations");
        foreach (var e in expectations)
            w.Line("   " + e);
        var result = new ScenarioResult(expectations, vm, Path.GetFullPath(options.PcapPath), pcapFrames, router.Kernel.Now / 1e9);
        w.Line("");
        w.Line(result.Success
            ? $"All {expectations.Count} expectations met."
            : $"{expectations.Count(e => !e.Met)} of {expectations.Count} expectations FAILED.");
        LogDone(log, expectations.Count(e => e.Met), expectations.Count, pcapBytes);
        return result;
    }

    private static void Board(ReportWriter w, Router router, ScenarioOptions o)
    {
        w.Section("1. The board");
        w.Line($"   SoC: Baikal-T1, {P5600Core.Cores} x MIPS P5600 (PRId 0x{P5600Core.ProcessorId:x8}) at {P5600Core.ClockHz / 1e9:0.0} GHz, MIPS VZ");
        w.Line($"   guest view of the core: Config0-5 = {string.Join(" ", P5600Core.GuestConfig.Select(c => $"0x{c:x8}"))} (hidden from guests: VZ, MSA, PW, LPA, CMGCR)");
        w.Line(o.Iommu
            ? "   DMA: through the IOMMU model (a device reaches only what its driver mapped)"
            : "   DMA: CPU-physical, as the Baikal-T1 has no IOMMU (every bus master reaches all RAM)");
        var gate = router.Wifi.Gate!;
        var caps = gate.Capabilities;
        w.Line(string.Create(CultureInfo.InvariantCulture, $"   country {gate.Country.Alpha2} ({RadioLineProtocol.RegionText(gate.Country.DfsRegion)}), fixed by the trusted side; radio: {caps.ChannelsKhz.Count} channels, up to {caps.MaxWidthMhz} MHz, {caps.MaxTxPowerMbm / 100.0:0.00} dBm, antenna {caps.AntennaGainMbi / 100.0:0.00} dBi"));
        w.Line("   physical memory:");
        foreach (var r in router.Kernel.PhysicalMemory.Regions)
            w.Line($"     {r}");
    }

    private static void Boot(ReportWriter w, Router router, List<Expectation> expectations)
    {
        w.Section("2. Boot: tasks and their capabilities");
        foreach (var (task, caps) in router.Capabilities())
        {
            w.Line($"   {task}");
            foreach (var (slot, obj, rights) in caps)
                w.Line($"     0x{slot,-4:x} {obj,-36} {Rights(rights)}");
        }
        w.Line("   io vbuses:");
        foreach (var bus in router.Io.Vbuses)
        {
            w.Line($"     {bus.Name} -> {router.Io.ClientOf(bus.Name)?.ToString() ?? "(no client)"}");
            foreach (var d in bus.Devices)
                w.Line($"       {d.Name}: {string.Join(", ", d.Resources.Select(r => r.Resource.ToString()))}");
        }

        var wifiBus = router.Io.FindVbus(BoardIoConfig.WifiVbus)!;
        var openwrtBus = router.Io.FindVbus(BoardIoConfig.OpenWrtVbus)!;
        expectations.Add(new Expectation("the trusted component alone owns the Wi-Fi NIC (io vbus 'wifi')",
            router.Wifi.Ready && router.Io.OwnerOf(BoardIoConfig.WifiDevice) == wifiBus && router.Io.ClientOf(BoardIoConfig.WifiVbus) == router.WifiTask,
            $"ready={router.Wifi.Ready}, NIC on vbus '{router.Io.OwnerOf(BoardIoConfig.WifiDevice)?.Name}', DMA {router.Wifi.DmaMode} at 0x{router.Wifi.DmaBase:x}"));
        var vmmCap = router.VmmTask!.Caps!.Lookup(OpenWrtVmmSetup.RadioSlot.Index);
        var mapsNic = router.Vmm!.Stage.Vm.Memory.TryTranslate(BoardIoConfig.WifiBar0, out _);
        expectations.Add(new Expectation("OpenWrt's only path to the radio is the radio gate (no NIC on its vbus, no S right, no mapping)",
            openwrtBus.Devices.All(d => d.Name != BoardIoConfig.WifiDevice) && vmmCap?.Object == router.RadioGate && (vmmCap.Value.Rights & CapRights.S) == 0 && !mapsNic,
            $"vbus openwrt: {string.Join(", ", openwrtBus.Devices.Select(d => d.Name))}; gate rights {Rights(vmmCap?.Rights ?? 0)}; NIC BAR mapped in the VM: {mapsNic}"));
    }

    private static void RadioStory(Router router, VmRunResult vm, List<Expectation> e)
    {
        var log = router.Vmm!.RadioLog;
        string Reply(string request, int nth = 0) => log.Where(l => l.Request == request).Select(l => l.Reply).Skip(nth).FirstOrDefault() ?? "(not sent)";
        var dfs = $"set {DfsChannel} 80 20 ap";

        var legal = Reply("set 5180 80 17 ap");
        e.Add(new Expectation("a legal request is accepted", legal.StartsWith("accept", StringComparison.Ordinal), legal));
        var strong = Reply("set 5180 80 30 ap");
        e.Add(new Expectation("too much power is clamped", strong.StartsWith("clamp", StringComparison.Ordinal), strong));
        var early = Reply(dfs);
        e.Add(new Expectation("a DFS channel before its CAC is refused", early.StartsWith("refuse", StringComparison.Ordinal) && early.Contains("availability check", StringComparison.Ordinal), early));
        var cac = Reply($"cac {DfsChannel} 80");
        var after = Reply(dfs, 1);
        var events = router.Wifi.Events;
        var started = events.FirstOrDefault(x => x.What.StartsWith("CAC started", StringComparison.Ordinal));
        var passed = events.FirstOrDefault(x => x.What.Contains("passed", StringComparison.Ordinal));
        var cacSeconds = (passed.AtNs - started.AtNs) / 1e9;
        e.Add(new Expectation("the CAC completes in virtual time and the DFS channel is then accepted",
            cac.StartsWith("cac started", StringComparison.Ordinal) && cacSeconds >= 60 && (after.StartsWith("accept", StringComparison.Ordinal) || after.StartsWith("clamp", StringComparison.Ordinal)),
            string.Create(CultureInfo.InvariantCulture, $"{cac}; CAC took {cacSeconds:0.000} s; then: {after}")));
        var countryRequest = log.FirstOrDefault(l => l.Request.StartsWith("country", StringComparison.Ordinal));
        var nic = router.Board.Nic.State;
        e.Add(new Expectation("a country change is refused and the NIC's regulatory domain stays locked",
            countryRequest.Reply?.StartsWith("refuse country", StringComparison.Ordinal) == true && nic.Country == router.Wifi.Gate!.Country.Alpha2 && (nic.Regdomain & WifiNicRegisters.RegdomainLock) != 0,
            $"{countryRequest.Request}: {countryRequest.Reply}; NIC REGDOMAIN {nic.Country} locked={(nic.Regdomain & WifiNicRegisters.RegdomainLock) != 0}"));
        var bad1 = Reply("set 5180 35 17 ap");
        var bad2 = Reply("set 5180 eighty 17 ap");
        e.Add(new Expectation("malformed requests are refused and change nothing",
            bad1.StartsWith("refuse", StringComparison.Ordinal) && bad2.StartsWith("error", StringComparison.Ordinal),
            $"{bad1} / {bad2}"));
        var radar = events.FirstOrDefault(x => x.What.StartsWith("radar at", StringComparison.Ordinal));
        var vacated = events.FirstOrDefault(x => x.What.StartsWith("vacated", StringComparison.Ordinal));
        var status = Reply("status");
        var late = Reply(dfs, 2);
        var moveSeconds = (vacated.AtNs - radar.AtNs) / 1e9;
        var radarAt = radar.AtNs;
        var onRadarChannelAfter = router.Board.Nic.Emissions.Any(x => x.AtNs > radarAt && x.State.Covers(DfsChannel * 1000));
        e.Add(new Expectation("radar on the operating channel: the channel is vacated at once and blocked for 30 minutes",
            router.Wifi.RadarEvents == 1 && vacated.What is not null && moveSeconds <= 10 && status.Contains("blocked until", StringComparison.Ordinal)
                && late.StartsWith("refuse", StringComparison.Ordinal) && late.Contains("non-occupancy", StringComparison.Ordinal) && !onRadarChannelAfter && !router.Board.Nic.State.Covers(DfsChannel * 1000),
            string.Create(CultureInfo.InvariantCulture, $"{radar.What}; {vacated.What} after {moveSeconds:0.000} s; {status}; then: {late}")));
        var probe = $"0x{BoardIoConfig.WifiBar0 + ProbeOffset:x8}";
        var txPower = router.Board.Nic.Reg(WifiNicRegisters.TxPower);
        e.Add(new Expectation("OpenWrt writing to the NIC directly faults to the VMM (no mapping) and the VM is stopped",
            vm.Stop == VmStop.Halt && vm.Reason.Contains(probe, StringComparison.Ordinal) && txPower != ProbeValue,
            $"{vm.Reason}; NIC TX_POWER = {(int)txPower} mBm"));
    }

    private static void HostileIpc(ReportWriter w, Router router, List<Expectation> e)
    {
        w.Section("5. Hostile IPC to the radio gate (a task with a read-only capability)");
        var hostile = router.CreateRadioClient("hostile", CapRights.R);
        var utcb = hostile.Thread.Utcb;
        var cases = new (string What, Func<MsgTag> Make, L4Error Expected)[]
        {
            ("another protocol label", () => new MsgTag(0x1234, 1, 0, 0), L4Error.BadProto),
            ("an empty message", () => new MsgTag(RadioProtocol.Label, 0, 0, 0), L4Error.MsgTooShort),
            ("an unknown opcode", () => { utcb.Mr[0] = 99; return new MsgTag(RadioProtocol.Label, 1, 0, 0); }, L4Error.NoSys),
            ("a configuration through a capability without W", () => RadioProtocol.SetConfig(utcb, RadioRequest.ForFrequency(5180, 20, 10)), L4Error.Perm),
        };
        var ok = true;
        foreach (var (what, make, expected) in cases)
        {
            var reply = hostile.Raw(make());
            var got = reply.HasError ? (L4Error)(-1) : reply.ResultError;
            ok &= got == expected;
            w.Line($"   {what,-52} -> {(reply.HasError ? $"IPC error {hostile.LastResult.ErrorCode}" : got.ToString())}");
        }
        var writer = router.CreateRadioClient("hostile-w");
        var wu = writer.Thread.Utcb;
        RadioProtocol.SetConfig(wu, RadioRequest.ForFrequency(5180, 20, 10));
        wu.Mr[4] = ulong.MaxValue / 3; // a TX power that does not fit 32 bits
        var big = writer.Raw(new MsgTag(RadioProtocol.Label, RadioProtocol.SetConfigWords, 0, 0));
        ok &= big.ResultError == L4Error.Inval;
        w.Line($"   {"a TX power word beyond 32 bits",-52} -> {big.ResultError}");
        RadioProtocol.SetConfig(wu, RadioRequest.ForFrequency(5180, 20, 10));
        var shortMsg = writer.Raw(new MsgTag(RadioProtocol.Label, 3, 0, 0));
        ok &= shortMsg.ResultError == L4Error.MsgTooShort;
        w.Line($"   {"a configuration cut short (3 of 8 words)",-52} -> {shortMsg.ResultError}");
        var alive = writer.Status(out var status) == L4Error.Ok;
        w.Line($"   the component still serves: {alive} (requests {router.Wifi.Requests}, IPC-level refusals {router.Wifi.ProtocolErrors})");
        e.Add(new Expectation("bad IPC input gets error codes, never a crash", ok && alive && !router.WifiThread.IsDead,
            $"{router.Wifi.ProtocolErrors} malformed messages refused; status afterwards: {status.Country} {(status.Flags & RadioStatusFlags.Enabled) != 0}"));
    }

    private static void Emissions(ReportWriter w, Router router, List<Expectation> e)
    {
        w.Section("6. What the NIC radiated (checked against the rules, independently of the gate)");
        var gate = router.Wifi.Gate!;
        var bad = new List<string>();
        foreach (var x in router.Board.Nic.Emissions)
        {
            var v = RadioCompliance.Violations(x.State, gate.Country, gate.Capabilities);
            w.Line(string.Create(CultureInfo.InvariantCulture, $"   [{x.AtNs / 1e9,10:0.000} s] {x.Length} bytes, {x.State}: {(v.Count == 0 ? "within the rules" : string.Join("; ", v))}"));
            bad.AddRange(v);
        }
        var now = RadioCompliance.Violations(router.Board.Nic.State, gate.Country, gate.Capabilities, gate.Dfs);
        w.Line($"   NIC now: {router.Board.Nic.State}: {(now.Count == 0 ? "within the rules" : string.Join("; ", now))}");
        e.Add(new Expectation("everything the NIC radiated was within the rules of the country",
            router.Board.Nic.EmissionCount > 0 && bad.Count == 0 && now.Count == 0,
            $"{router.Board.Nic.EmissionCount} frame(s) radiated, {bad.Count + now.Count} violation(s)"));
    }

    private static (long Frames, long Bytes) Network(ReportWriter w, Router router, ScenarioOptions o, List<Expectation> e)
    {
        w.Section("7. The virtual switch");
        foreach (var p in router.Switch.Ports)
            w.Line($"   port {p}: {p.Statistics}");
        router.Dispose(); // flushes and closes the capture
        var bytes = File.Exists(o.PcapPath) ? new FileInfo(o.PcapPath).Length : 0;
        var frames = router.Monitor?.Writer.Frames ?? 0;
        w.Line($"   monitor capture: {Path.GetFullPath(o.PcapPath)} ({frames} frames, {bytes} bytes; open it with wireshark or tshark)");
        var guestFrame = router.Board.Nic.Emissions.Any(x => x.Length >= 14 + GuestText.Length);
        var stationFrame = router.Vmm!.ConsoleLines.Any(l => l.Contains(StationText, StringComparison.Ordinal));
        e.Add(new Expectation("frames cross the switch: OpenWrt's frame is radiated, a station's frame reaches OpenWrt, the monitor captures both",
            guestFrame && stationFrame && router.Wifi.FramesToAir >= 1 && router.Wifi.FramesFromAir >= 1 && frames >= 2 && bytes > 24,
            $"to the air {router.Wifi.FramesToAir}, from the air {router.Wifi.FramesFromAir}, captured {frames}"));
        return (frames, bytes);
    }

    private static void Dma(ReportWriter w, Router router, ScenarioOptions o, string country, List<Expectation> e)
    {
        w.Section("8. DMA isolation: a compromised NIC firmware writes into OpenWrt's RAM");
        var payload = Encoding.ASCII.GetBytes("NIC firmware was here");
        var results = new List<(bool Iommu, DmaStatus Status, bool Changed, long Faults)>();
        results.Add(Attack(router, payload));
        using (var other = new RouterBuilder().WithCountry(country).WithIommu(!o.Iommu).WithGuestScript([new GuestStep.Print("idle")]).Build())
            results.Add(Attack(other, payload));
        foreach (var (iommu, status, changed, faults) in results.OrderByDescending(r => r.Iommu))
        {
            w.Line($"   {(iommu ? "with the IOMMU model" : "Baikal-T1, no IOMMU "),-21}: DMA write to OpenWrt's RAM at 0x{Router.VmRamPhysical + AttackOffset:x8} -> {status}, RAM {(changed ? "OVERWRITTEN" : "untouched")}, IOMMU faults {faults}");
            e.Add(iommu
                ? new Expectation("with an IOMMU the malicious DMA is blocked and logged", status == DmaStatus.NotMapped && !changed && faults >= 1, $"{status}, RAM untouched: {!changed}")
                : new Expectation("without an IOMMU (the Baikal-T1) the same DMA succeeds: the seed's missing IOMMU", status == DmaStatus.Ok && changed, $"{status}, RAM overwritten: {changed}"));
        }
        w.Line("   so on the real Baikal-T1 the Wi-Fi driver and the NIC firmware must be trusted with all of RAM.");
    }

    private const ulong AttackOffset = 0x0010_0000;

    private static (bool Iommu, DmaStatus Status, bool Changed, long Faults) Attack(Router router, byte[] payload)
    {
        var ram = router.Vmm!.Platform.Vm.Ram;
        var before = new byte[payload.Length];
        ram.Read(AttackOffset, before);
        var status = router.Board.Nic.FirmwareDmaWrite(Router.VmRamPhysical + AttackOffset, payload);
        var after = new byte[payload.Length];
        ram.Read(AttackOffset, after);
        return (router.DmaMode == DmaMode.Iommu, status, !before.AsSpan().SequenceEqual(after), router.Board.Nic.Dma?.FaultCount ?? 0);
    }

    private static byte[] StationFrame()
    {
        var frame = new List<byte>();
        frame.AddRange([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x00, 0x5e, 0x00, 0x00, 0x07, 0x88, 0xb5]);
        frame.AddRange(Encoding.ASCII.GetBytes(StationText));
        frame.Add(0);
        while (frame.Count < 60)
            frame.Add(0);
        return [.. frame];
    }

    private static string Rights(CapRights r) =>
        $"{((r & CapRights.R) != 0 ? "R" : "-")}{((r & CapRights.W) != 0 ? "W" : "-")}{((r & CapRights.S) != 0 ? "S" : "-")}{((r & CapRights.D) != 0 ? "D" : "-")}";

    [LoggerMessage(Level = LogLevel.Information, Message = "prpl router: country {Country}, IOMMU {Iommu}: booting")]
    private static partial void LogStart(ILogger logger, string country, bool iommu);

    [LoggerMessage(Level = LogLevel.Information, Message = "prpl router: OpenWrt VM stopped ({Stop}) at {Seconds:0.000} s virtual time")]
    private static partial void LogVm(ILogger logger, string stop, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "prpl router: {Met} of {Total} expectations met; pcap {Bytes} bytes")]
    private static partial void LogDone(ILogger logger, int met, int total, long bytes);
}

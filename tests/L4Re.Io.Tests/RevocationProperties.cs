using System.Text;
using FsCheck;
using FsCheck.Fluent;
using L4Re.Io.Client;
using L4Re.Io.Hw;
using L4Re.Io.Ipc;
using L4Re.Io.Vbus;
using L4Re.Kernel.Abi;
using L4Re.Kernel.Objects;

namespace L4Re.Io.Tests;

/// <summary>
/// Random systems and random sequences of client actions through vbus capabilities: clients map MMIO
/// pages into their tasks, VMs and child tasks, bind IRQs, bind DMA spaces, pass their capability on and
/// try to reach what is not theirs; vbuses are disconnected or deleted. After every step no task holds a
/// frame, port or IRQ outside the vbus it came through, and after a revocation nothing derived from the
/// revoked vbus survives while everything of the other vbuses stays.
/// </summary>
public class RevocationProperties
{
    private sealed record World(Rig Rig, Dictionary<string, (ulong First, ulong Last)[]> Pages, Dictionary<string, uint[]> Irqs, Dictionary<string, uint[]> Domains);

    /// <summary>A random board: 2–7 devices with 1–3 MMIO windows of 1–4 pages, IRQs and DMA, spread over 1–3 vbuses.</summary>
    private static World Build(Random rnd)
    {
        var text = new StringBuilder();
        var devices = rnd.Next(2, 8);
        var buses = rnd.Next(1, 4);
        var members = new List<string>[buses];
        for (var b = 0; b < buses; b++)
            members[b] = [];
        var irq = 40u;
        for (var d = 0; d < devices; d++)
        {
            text.Append($"device d{d} {{\n");
            for (var w = 0; w < rnd.Next(1, 4); w++)
            {
                // Windows on page boundaries, or sharing a page with the device's own previous window.
                var start = 0x1f00_0000UL + (ulong)d * 0x10_0000 + (ulong)w * 0x8000 + (ulong)rnd.Next(0, 2) * 0x800;
                text.Append($" mmio m{w} = 0x{start:x} + 0x{rnd.Next(1, 5) * 0x1000 - (int)(start & 0xfff):x}\n");
            }
            for (var i = 0; i < rnd.Next(0, 3); i++)
                text.Append($" irq i{i} = {irq++} {(rnd.Next(2) == 0 ? "level-high" : "edge-rising")}\n");
            if (rnd.Next(2) == 0)
                text.Append(" dma\n");
            text.Append("}\n");
            var bus = rnd.Next(buses + 1);
            if (bus < buses)
                members[bus].Add($"d{d}");
        }
        for (var b = 0; b < buses; b++)
            if (members[b].Count > 0)
                text.Append($"vbus v{b} {{ {string.Join("; ", members[b].Select(m => "device " + m))} }}\n");
        var rig = new Rig(config: text.ToString());
        var pages = new Dictionary<string, (ulong, ulong)[]>();
        var irqs = new Dictionary<string, uint[]>();
        var domains = new Dictionary<string, uint[]>();
        foreach (var v in rig.Io.Vbuses)
        {
            pages[v.Name] = v.Devices.SelectMany(d => d.Resources).Where(r => r.Resource.Type == ResourceType.Mem)
                .Select(r => (r.Resource.Start >> 12, r.Resource.End >> 12)).ToArray();
            irqs[v.Name] = [.. v.Irqs.Keys];
            domains[v.Name] = v.DmaDomains?.Ids.ToArray() ?? [];
        }
        return new World(rig, pages, irqs, domains);
    }

    /// <summary>Every mapping of a device frame in a task other than io and sigma0, by physical page.</summary>
    private static List<(L4Task Task, ulong PhysPage)> DeviceMappings(World w) =>
        [.. w.Rig.Kernel.Tasks.Where(t => t != w.Rig.Io.Task && t.Kind != TaskKind.Sigma0)
            .SelectMany(t => t.Memory.Enumerate().Where(n => n.Region is not null && w.Rig.Io.PhysicalMemory.AddressOf(n.Region.Dataspace) is not null)
                .Select(n => (t, (n.Region!.Base >> 12) + (ulong)n.Frame)))
            .Where(x => x.Item2 >= 0x1f000UL)];

    private static bool In((ulong First, ulong Last)[] windows, ulong page) => windows.Any(p => page >= p.First && page <= p.Last);

    [FsCheck.NUnit.Property(MaxTest = 120, Replay = "4242,1717", QuietOnSuccess = true)]
    public Property Revoking_a_vbus_leaves_nothing_derived_from_it(int seed)
    {
        var rnd = new Random(seed);
        var w = Build(rnd);
        var rig = w.Rig;
        var failures = new List<string>();
        // Which vbus each task's device mappings may come from (the client, its VM, its child and its friend).
        var origin = new Dictionary<L4Task, string>();
        var clients = new Dictionary<string, (Client C, Vm Vm, CapSel VmCap, Client Child, Client Friend, CapSel Icu)>();
        var live = rig.Io.Vbuses.Select(v => v.Name).ToList();
        var nextLocal = 0x4000_0000UL;

        for (var step = 0; step < 40 && live.Count > 0; step++)
        {
            var name = live[rnd.Next(live.Count)];
            if (!clients.TryGetValue(name, out var k))
            {
                var c = rig.Connect(name, $"{name}-{step}");
                var vm = rig.Factory.CreateVm();
                var child = rig.NewTask($"{name}-child-{step}");
                var friend = rig.NewTask($"{name}-friend-{step}");
                Assert.That(friend.Task.Map(c.Task, Fpage.Obj(Rig.VbusSlot, CapRights.RW), Rig.VbusSlot.Raw).IsOk, Is.True);
                var icu = CapSel.FromIndex(0x20);
                c.Vbus.GetIcu(icu);
                k = (c, vm, c.Hold(vm, CapRights.RWS), child, friend, icu);
                clients[name] = k;
                foreach (var t in new L4Task[] { c.Task, vm, child.Task, friend.Task })
                    origin[t] = name;
            }
            var windows = w.Pages[name];
            var (page0, last0) = windows[rnd.Next(windows.Length)];
            var page = page0 + (ulong)rnd.Next(0, (int)(last0 - page0 + 1));
            switch (rnd.Next(12))
            {
                case 0:
                case 1:
                case 2:
                    k.C.Vbus.MapMmio(page << 12, nextLocal, DataspaceMapFlags.RW, null, out _);
                    if (rnd.Next(2) == 0 && k.C.Task.Memory.TryTranslate(nextLocal, out _))
                        k.Child.Task.Map(k.C.Task, Fpage.Memory(nextLocal, 12, MemRights.RW), nextLocal);
                    nextLocal += 0x10_0000;
                    break;
                case 3:
                    k.C.Vbus.MapMmio(page << 12, page << 12, DataspaceMapFlags.RW, k.VmCap, out _);
                    break;
                case 4:
                    k.Friend.Vbus.MapMmio(page << 12, nextLocal, DataspaceMapFlags.RW, null, out _);
                    nextLocal += 0x10_0000;
                    break;
                case 5 or 6 when w.Irqs[name].Length > 0:
                {
                    var irq = rig.Factory.CreateIrq();
                    irq.Bind(k.C.Thread, 0x10);
                    k.C.Vbus.BindIrq(k.Icu, w.Irqs[name][rnd.Next(w.Irqs[name].Length)], k.C.Hold(irq, CapRights.RWS));
                    break;
                }
                case 7 when w.Domains[name].Length > 0:
                {
                    var dma = rig.Factory.CreateDmaSpace();
                    k.C.Vbus.AssignDmaDomain(rnd.Next(2) == 0 ? VirtualBus.WholeBusDomain : w.Domains[name][0],
                        DmaDomainAssignFlags.Bind | DmaDomainAssignFlags.KernelDmaSpace, k.C.Hold(dma, CapRights.RWS));
                    break;
                }
                case 8:
                {
                    // Attempts to reach what is not the vbus's: another vbus's window, a random address, a foreign IRQ.
                    var other = w.Pages.Where(p => p.Key != name).SelectMany(p => p.Value).ToArray();
                    var target = other.Length > 0 && rnd.Next(2) == 0 ? other[rnd.Next(other.Length)].First << 12 : (ulong)rnd.NextInt64() & 0xffff_ffff_f000;
                    if (!In(windows, target >> 12) && k.C.Vbus.MapMmio(target, nextLocal, DataspaceMapFlags.RW, null, out _) == L4Error.Ok)
                        failures.Add($"{name}: mapped foreign address 0x{target:x}");
                    var foreignIrq = w.Irqs.Where(p => p.Key != name).SelectMany(p => p.Value).DefaultIfEmpty(5000u).First();
                    if (k.C.Vbus.BindIrq(k.Icu, foreignIrq, k.C.Hold(rig.Factory.CreateIrq(), CapRights.RWS)) == L4Error.Ok)
                        failures.Add($"{name}: bound foreign IRQ {foreignIrq}");
                    break;
                }
                case 11:
                    Revoke(name, rnd.Next(2) == 0);
                    break;
            }
            // Isolation: every device frame a task holds belongs to the vbus it came through.
            foreach (var (task, phys) in DeviceMappings(w))
                if (!origin.TryGetValue(task, out var from) || !w.Pages.TryGetValue(from, out var own) || !In(own, phys))
                    failures.Add($"step {step}: {task} holds page 0x{phys:x} not of its vbus {from}");
            foreach (var (vbus, pins) in w.Irqs)
                foreach (var pin in pins)
                    if (rig.Kernel.Icu.BoundTo(pin) is { } bound && !clients.ContainsKey(vbus))
                        failures.Add($"step {step}: IRQ {pin} of unconnected vbus {vbus} bound to {bound}");
            if (failures.Count > 0)
                break;
        }
        // In the end every vbus goes; nothing of any of them may remain.
        foreach (var name in live.ToList())
            Revoke(name, deleted: true);
        if (DeviceMappings(w).Count > 0 || rig.Kernel.Tasks.Any(t => t != rig.Io.Task && t.IoPorts?.Enumerate().Any() == true))
            failures.Add("device frames or ports remain after every vbus was deleted");
        return (failures.Count == 0).Label(string.Join("; ", failures.Take(3)));

        void Revoke(string name, bool deleted)
        {
            var windows = w.Pages[name];
            clients.TryGetValue(name, out var k);
            var before = DeviceMappings(w).Where(m => origin.GetValueOrDefault(m.Task) != name).ToList();
            if (deleted)
            {
                rig.Io.DeleteVbus(name);
                live.Remove(name);
            }
            else
            {
                rig.Io.Disconnect(name);
            }
            clients.Remove(name);
            var survivors = DeviceMappings(w).Where(m => In(windows, m.PhysPage)).ToList();
            if (survivors.Count > 0)
                failures.Add($"{name}: {survivors.Count} mappings survive, e.g. {survivors[0].Task} page 0x{survivors[0].PhysPage:x}");
            foreach (var pin in w.Irqs[name])
                if (rig.Kernel.Icu.BoundTo(pin) is not null)
                    failures.Add($"{name}: IRQ {pin} still bound");
            foreach (var id in w.Domains[name])
                if (rig.Kernel.Iommu.Lookup(id) is not null)
                    failures.Add($"{name}: DMA domain {id} still bound");
            var after = DeviceMappings(w).Where(m => origin.GetValueOrDefault(m.Task) != name).ToList();
            if (!after.SequenceEqual(before))
                failures.Add($"{name}: revocation touched other vbuses' mappings");
            if (k.C is null)
                return;
            if (k.C.Vbus.GetDevice(VbusDeviceHandle.Root, out _) == L4Error.Ok || k.Friend.Vbus.GetDevice(VbusDeviceHandle.Root, out _) == L4Error.Ok)
                failures.Add($"{name}: the capability still works");
            foreach (var t in new L4Task[] { k.C.Task, k.Vm, k.Child.Task, k.Friend.Task })
                origin[t] = "-revoked-";
        }
    }
}

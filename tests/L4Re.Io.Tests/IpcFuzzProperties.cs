using FsCheck;
using FsCheck.Fluent;
using L4Re.Io.Ipc;
using L4Re.Io.Vbus;
using L4Re.Kernel.Abi;
using L4Re.Kernel.Objects;

namespace L4Re.Io.Tests;

/// <summary>
/// Arbitrary messages to a vbus and its ICU — random labels, opcodes, handles, addresses, words and
/// capability items: io answers every one (never throws), and the client never obtains a frame, a port,
/// an IRQ line, a DMA binding or a capability outside its vbus.
/// </summary>
public class IpcFuzzProperties
{
    private static readonly long[] Labels = [0, L4ReProtocol.Dataspace, L4ReProtocol.Event, (long)ProtocolLabel.Irq, (long)ProtocolLabel.Task, 0x4001, -3];

    private static readonly uint[] Opcodes =
    [
        (uint)VbusOpcode.Get, (uint)VbusOpcode.GetNext, (uint)VbusOpcode.GetByHid, (uint)VbusOpcode.GetHid, (uint)VbusOpcode.DeviceHid,
        (uint)VbusOpcode.DeviceAdr, (uint)VbusOpcode.GetResource, (uint)VbusOpcode.IsCompatible, (uint)VbusOpcode.RequestResource,
        (uint)VbusOpcode.ReleaseResource, (uint)VbusOpcode.AssignDmaDomain, (uint)VbusOpcode.IcuGetCap, 4u << 26, 0x1234_5678,
    ];

    [FsCheck.NUnit.Property(MaxTest = 60, Replay = "31337,4711", QuietOnSuccess = true)]
    public Property Random_messages_never_give_a_client_anything_outside_its_vbus(int seed)
    {
        var rnd = new Random(seed);
        var rig = new Rig(config: """
            device mine { mmio reg0 = 0x1f100000 + 0x2000; irq irq0 = 30 level-high; port io0 = 0x100 + 16; dma }
            device theirs { mmio reg0 = 0x1f200000 + 0x2000; irq irq0 = 31; port io0 = 0x200 + 16; dma }
            device nobody { mmio reg0 = 0x1f300000 + 0x1000; irq irq0 = 32 }
            vbus own { device mine }
            vbus other { device theirs }
            """);
        var c = rig.Connect("own");
        var icu = CapSel.FromIndex(0x20);
        Assert.That(c.Vbus.GetIcu(icu), Is.EqualTo(L4Error.Ok));
        var irq = rig.Factory.CreateIrq();
        irq.Bind(c.Thread, 0x40);
        var gifts = new[] { c.Hold(irq, CapRights.RWS), c.Hold(rig.Factory.CreateDmaSpace(), CapRights.RWS), Rig.TaskSlot, c.Hold(rig.Factory.CreateVm(), CapRights.RWS) };
        var utcb = c.Thread.Utcb;
        var interesting = new ulong[] { 0, 1, 2, 3, 30, 31, 32, 0x100, 0x200, 0x1f100000, 0x1f101fff, 0x1f200000, 0x1f300000, ~0UL, 0x8000_0000, ~0xfffUL };
        ulong Word() => rnd.Next(3) == 0 ? (ulong)rnd.NextInt64() : interesting[rnd.Next(interesting.Length)];
        var failures = new List<string>();
        for (var n = 0; n < 60; n++)
        {
            var toIcu = rnd.Next(4) == 0;
            var label = toIcu && rnd.Next(2) == 0 ? (long)ProtocolLabel.Irq : Labels[rnd.Next(Labels.Length)];
            var words = (uint)rnd.Next(0, 12);
            for (var i = 0; i < words; i++)
                utcb.Mr[i] = Word();
            if (label == 0 && words >= 2 && rnd.Next(4) != 0)
                utcb.Mr[1] = (utcb.Mr[1] & ~0xffff_ffffUL) | Opcodes[rnd.Next(Opcodes.Length)];
            if (toIcu && words >= 1 && rnd.Next(3) != 0)
                utcb.Mr[0] = (ulong)rnd.Next(0, 8);
            uint items = 0;
            if (rnd.Next(3) == 0 && words < 60)
            {
                utcb.Mr[(int)words] = SndItem.MapObj().Raw;
                utcb.Mr[(int)words + 1] = Fpage.Obj(gifts[rnd.Next(gifts.Length)], CapRights.RWS).Raw;
                items = 1;
            }
            utcb.Bdr = default;
            utcb.Br[0] = rnd.Next(3) switch
            {
                0 => BufItem.Map().Raw,
                1 => BufItem.SmallObj(CapSel.FromIndex(0x200 + (ulong)n)).Raw,
                _ => 0,
            };
            utcb.Br[1] = rnd.Next(2) == 0 ? Fpage.All.Raw : Fpage.Io(0, 16).Raw;
            utcb.Br[2] = 0;
            try
            {
                c.Vbus.Call(toIcu ? icu : Rig.VbusSlot, new MsgTag(label, words, items, 0));
            }
            catch (Exception e)
            {
                failures.Add($"message {n} (label {label}, {words} words): {e.GetType().Name}: {e.Message}");
                break;
            }
            // What the client holds: device frames of its own window only, its own ports only.
            foreach (var node in c.Task.Memory.Enumerate())
            {
                var phys = node.Region!.Base + ((ulong)node.Frame << 12);
                if (phys is < 0x1f100000 or >= 0x1f102000)
                    failures.Add($"message {n}: the client maps physical 0x{phys:x}");
            }
            foreach (var node in c.Task.IoPorts!.Enumerate())
                if (node.VirtualPage is < 0x100 or >= 0x110)
                    failures.Add($"message {n}: the client has port 0x{node.VirtualPage:x}");
            if (rig.Kernel.Icu.BoundTo(31) is not null || rig.Kernel.Icu.BoundTo(32) is not null)
                failures.Add($"message {n}: a foreign IRQ line is bound");
            var theirs = rig.Io.FindVbus("other")!.DmaDomains!.Ids.Single();
            if (rig.Kernel.Iommu.Lookup(theirs) is not null)
                failures.Add($"message {n}: the other vbus's DMA domain is bound");
            foreach (var cap in c.Task.Caps!.Enumerate())
                if (cap.Object is IpcGate g && g != rig.Io.GateOf("own") && g.Thread != rig.Io.ServerThread)
                    failures.Add($"message {n}: the client got a foreign gate");
            if (failures.Count > 0)
                break;
        }
        // io still works for the client after all that.
        if (c.Vbus.GetDevice(VbusDeviceHandle.Root, out var root) != L4Error.Ok || root.Name != "own")
            failures.Add("the vbus stopped answering");
        return (failures.Count == 0).Label(string.Join("; ", failures.Take(3)));
    }
}

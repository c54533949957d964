using L4Re.Io.Client;
using L4Re.Io.Hw;
using L4Re.Io.Vbus;
using L4Re.Kernel.Abi;

namespace L4Re.Io.Vmm;

/// <summary>
/// One device of a VM's vbus as the VMM sees it through its vbus capability (uvmm's
/// <c>Virt_bus::Devinfo</c>, kernkonzept/uvmm <c>server/src/virt_bus.h</c>): handle, name, HID, the
/// sub-interfaces it speaks and its resources.
/// </summary>
/// <param name="Handle">The device handle on the vbus.</param>
/// <param name="Name">The device name.</param>
/// <param name="Hid">The HID, or empty.</param>
/// <param name="InterfaceType">The <c>l4vbus_device_t.type</c> bits.</param>
/// <param name="Resources">The resources in <c>get_resource</c> order.</param>
public sealed record VbusDeviceView(VbusDeviceHandle Handle, string Name, string Hid, uint InterfaceType, IReadOnlyList<Resource> Resources)
{
    /// <summary>True for PCI functions and buses, which uvmm's <c>scan_bus</c> leaves to its virtual PCI host bridge.</summary>
    public bool IsPci => (InterfaceType & ((1u << (int)VbusInterface.Pci) | (1u << (int)VbusInterface.PciDev))) != 0;

    /// <summary>Reads every device of the vbus over IPC, as uvmm's <c>Virt_bus::scan_bus</c> does.</summary>
    /// <exception cref="InvalidOperationException">The vbus does not answer (e.g. the capability was revoked).</exception>
    public static IReadOnlyList<VbusDeviceView> Scan(VbusClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var err = client.Enumerate(out var devices);
        if (err != L4Error.Ok)
            throw new InvalidOperationException($"cannot enumerate the vbus: {err} ({client.LastResult})");
        return [.. devices.Select(d => new VbusDeviceView(d.Info.Handle, d.Info.Name, d.Hid, d.Info.InterfaceType, [.. d.Resources.Select(r => r.Resource)]))];
    }

    /// <summary>The same view from io's side (for tools and tests that have the <see cref="VirtualBus"/> object).</summary>
    public static IReadOnlyList<VbusDeviceView> Of(VirtualBus bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        var list = new List<VbusDeviceView>();
        var child = VbusDeviceHandle.Null;
        while (bus.NextDevice(VbusDeviceHandle.Root, ref child, out var info) == L4Error.Ok)
        {
            bus.GetHid(child, out var hid);
            var res = new List<Resource>();
            for (var i = 0; bus.GetResource(child, i, out var r) == L4Error.Ok; i++)
                res.Add(r.Resource);
            list.Add(new VbusDeviceView(child, info.Name, hid, info.InterfaceType, res));
        }
        return list;
    }
}

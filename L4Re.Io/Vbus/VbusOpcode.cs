namespace L4Re.Io.Vbus;

/// <summary>
/// The opcodes of the vbus IPC protocol (the second value of a message, a <c>l4_uint32_t</c> after the
/// device handle). A sub-interface id (<see cref="VbusInterface"/>) is shifted left by 26
/// (<c>L4VBUS_IFACE_SHIFT</c>): generic device ops in interface 0x20, bus ops in 5, ICU ops in 0
/// (kernkonzept/io <c>libvbus/include/vdevice-ops.h</c> and <c>vbus_interfaces.h</c>).
/// </summary>
public enum VbusOpcode : uint
{
    /// <summary><c>L4vbus_vdevice_hid</c></summary>
    DeviceHid = 0x20u << 26,
    /// <summary><c>L4vbus_vdevice_adr</c></summary>
    DeviceAdr = DeviceHid + 1,
    /// <summary><c>L4vbus_vdevice_get_by_hid</c></summary>
    GetByHid = DeviceHid + 2,
    /// <summary><c>L4vbus_vdevice_get_next</c></summary>
    GetNext = DeviceHid + 3,
    /// <summary><c>L4vbus_vdevice_get_resource</c></summary>
    GetResource = DeviceHid + 4,
    /// <summary><c>L4vbus_vdevice_get_hid</c></summary>
    GetHid = DeviceHid + 5,
    /// <summary><c>L4vbus_vdevice_is_compatible</c></summary>
    IsCompatible = DeviceHid + 6,
    /// <summary><c>L4vbus_vdevice_get</c></summary>
    Get = DeviceHid + 7,
    /// <summary><c>L4vbus_vbus_request_resource</c></summary>
    RequestResource = 5u << 26,
    /// <summary><c>L4vbus_vbus_release_resource</c></summary>
    ReleaseResource = RequestResource + 1,
    /// <summary><c>L4vbus_vbus_assign_dma_domain</c></summary>
    AssignDmaDomain = RequestResource + 2,
    /// <summary><c>L4vbus_vicu_get_cap</c></summary>
    IcuGetCap = 0,
}
